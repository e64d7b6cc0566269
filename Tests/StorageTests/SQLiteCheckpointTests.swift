import Foundation
import Storage
import StrongroomTestSupport
import Testing

@Suite("SQLite checkpoints off the writer")
struct SQLiteCheckpointTests {
    /// The writer's own automatic checkpoint starts only at 64 MiB of WAL (SQLite's default
    /// is 4 MiB), so the 9.8 MiB committed here reaches the database file only if the
    /// checkpointer, nudged once commits have written 1,024 pages, copies it there. Three
    /// large commits, as batches make: counted in commits, they would not have nudged it.
    @Test func committedPagesReachTheDatabaseFileWithoutTheWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strongroom-checkpoint-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("strongroom.sqlite").path
        let database = try await SQLiteDatabase.open(path: path)
        try await database.transaction { try await $0.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        let before = try Self.size(of: path)

        // Each commit: 100 rows of 32 KiB, about 820 pages; the nudge follows the second.
        for commit in 0..<3 {
            try await database.transaction { executor in
                for row in 0..<100 {
                    let id = commit * 100 + row
                    try await executor.execute(
                        "INSERT INTO filler (id, body) VALUES ($1, $2)",
                        [.int(Int64(id)), .bytes([UInt8](repeating: UInt8(id % 256), count: 32 * 1024))]
                    )
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while try Self.size(of: path) < before + 6_000_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try Self.size(of: path) >= before + 6_000_000, "the committed pages were copied into the database file")
        #expect(try await database.direct.queryOne("SELECT count(*) AS n FROM filler")?.int("n") == 300)
        await database.close()
    }

    private static func size(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}

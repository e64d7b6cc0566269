import Foundation
import Storage
import StrongroomTestSupport
import Testing

@Suite("SQLite checkpoints off the writer")
struct SQLiteCheckpointTests {
    /// The writer's own automatic checkpoint starts only at 64 MiB of WAL (SQLite's default
    /// is 4 MiB), so the 1.3 MiB committed here reaches the database file only if the
    /// checkpointer, nudged every eighth commit, copies it there.
    @Test func committedPagesReachTheDatabaseFileWithoutTheWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strongroom-checkpoint-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("strongroom.sqlite").path
        let database = try await SQLiteDatabase.open(path: path)
        try await database.transaction { try await $0.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        let before = try Self.size(of: path)

        // 40 commits after the CREATE: nudges after commits 8, 16, 24, 32 and 40.
        for id in 0..<40 {
            try await database.transaction { executor in
                try await executor.execute(
                    "INSERT INTO filler (id, body) VALUES ($1, $2)", [.int(Int64(id)), .bytes([UInt8](repeating: UInt8(id), count: 32 * 1024))]
                )
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while try Self.size(of: path) < before + 1_000_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try Self.size(of: path) >= before + 1_000_000, "the committed pages were copied into the database file")
        #expect(try await database.direct.queryOne("SELECT count(*) AS n FROM filler")?.int("n") == 40)
        await database.close()
    }

    private static func size(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StrongroomTestSupport
import Subprocess
import SystemPackage
import Testing

/// Issue 29's first done-when, on a real `strongroom` process: personal values planted through
/// the holders' routes are nowhere in clear (the SQLite file and its `-wal` while the server
/// runs and after it stops, the PostgreSQL database dumped as its owner, the idempotency
/// table, the audit checkpoints, `GET /metrics`, the server's logs at `debug`), yet read back
/// unmasked to a stepped-up caller holding `holders:read-pii` who gives a reason, and masked
/// to everyone else.
@Suite("Holders' personal data at rest", .serialized, .timeLimit(.minutes(4)))
struct HolderPlaintextScanTests {
    typealias Connection = LedgerProcessTests.Connection

    /// Values no fixture, table or log line holds by chance: each carries this run's marker.
    struct Planted {
        let marker = String(UInt64.random(in: 1 << 40...1 << 50), radix: 36)
        var name: String { "Zephyrine Quillfeather \(marker)" }
        var document: String { "QX\(marker)77" }
        var email: String { "zq.\(marker)@planted.example" }
        var newEmail: String { "moved.\(marker)@planted.example" }
        var phone: String { "+447700\(marker.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 900_000 } + 100_000)" }
        var street: String { "\(marker) Marlowe Crescent" }
        var motherName: String { "Ottoline Brackenbury \(marker)" }
        var partyName: String { "Peregrine Ashcombe \(marker)" }
        var partyDocument: String { "PD\(marker)42" }

        /// Every value, as a client sent it and as it is stored, each at least 8 bytes long.
        var all: [String] { [name, document, email, newEmail, phone, street, motherName, partyName, partyDocument] }

        var body: String {
            """
            {"type":"NATURAL_PERSON","name":"\(name)","document":"\(document)","externalId":"ext-1",\
            "contact":{"primaryEmail":"\(email)","mobilePhone":"\(phone)"},\
            "addresses":{"primary":{"line1":"\(street)","city":"Leeds","country":"GB","zipCode":"LS1 4AP"}},\
            "naturalPerson":{"motherName":"\(motherName)"},"metadata":{"segment":"retail"}}
            """
        }
    }

    @Test(arguments: TestBackend.available)
    func plantedValuesAreNowhereInClear(backend: TestBackend) async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = backend == .postgres ? try await TestDatabase.create(.postgres) : nil
        do {
            try await scan(backend: backend, database: database, directory: directory)
        } catch {
            await database?.destroy()
            throw error
        }
        await database?.destroy()
    }

    private func scan(backend: TestBackend, database: TestDatabase?, directory: String) async throws {
        let planted = Planted()
        let checkpoints = directory + "/checkpoints"
        var environment = [
            "STRONGROOM_MASTER_KEY": (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(),
            "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": LedgerProcessTests.password,
            "STRONGROOM_PASSWORD_HASH_COST": "4",
            "STRONGROOM_AUDIT_CHECKPOINT_DIR": checkpoints,
        ]
        if let database {
            environment["STRONGROOM_DATABASE_URL"] = try LedgerProcessTests.text(database.serviceURL)
            environment["STRONGROOM_DATABASE_OWNER_URL"] = try LedgerProcessTests.text(database.ownerURL)
        }
        let data = directory + "/data"
        // `debug`, the most the server itself says: `trace` adds postgres-nio's every protocol
        // step, past the megabyte of output a test keeps.
        let served = try await ServerProcessTests.withServer(
            arguments: ["--data-dir", data, "--log-level", "debug"], environment: environment, directory: directory
        ) { server in
            let connection = try await Connection.open(port: server.port, token: try await Connection.steppedUpAdminToken(port: server.port))
            let organization = try await connection.created("/v1/organizations", #"{"legalName":"Acme","legalDocument":"1"}"#)
            let headers: HTTPFields = [HTTPField.Name("X-Organization-Id")!: organization]
            var keyed = headers
            keyed[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString

            // Planted, and planted again under the same key: the stored answer replays.
            let created = try await connection.send(.post, "/v1/holders", planted.body, headers: keyed)
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let replayed = try await connection.send(.post, "/v1/holders", planted.body, headers: keyed)
            #expect(replayed.status == 201 && replayed.body == created.body, "a replay answers what the first request answered")
            let holder = try #require(try Self.object(created.body)["id"] as? String)
            Self.expectNone(of: planted, in: String(decoding: created.body, as: UTF8.self), "the creating answer")

            // Masked to a plain read and a look-up by document; a refused body echoes nothing.
            let masked = try await connection.send(.get, "/v1/holders/\(holder)", headers: headers)
            #expect(masked.status == 200)
            Self.expectNone(of: planted, in: String(decoding: masked.body, as: UTF8.self), "a masked read")
            let found = try await connection.send(.get, "/v1/holders?document=\(planted.document)", headers: headers)
            #expect(((try Self.object(found.body)["items"] as? [[String: Any]])?.map { $0["id"] as? String }) == [holder])
            let refused = try await connection.send(.post, "/v1/holders", planted.body.replacingOccurrences(of: "NATURAL_PERSON", with: "ROBOT"), headers: headers)
            #expect((400..<500).contains(refused.status))
            Self.expectNone(of: planted, in: String(decoding: refused.body, as: UTF8.self), "a refusal")
            // A related party of an alias names a person too.
            let ledger = try await connection.created("/v1/organizations/\(organization)/ledgers", #"{"name":"Main"}"#)
            let base = "/v1/organizations/\(organization)/ledgers/\(ledger)"
            _ = try await connection.created("\(base)/assets", #"{"name":"Pound","type":"currency","code":"GBP"}"#)
            let account = try await connection.created("\(base)/accounts", #"{"assetCode":"GBP","type":"deposit","alias":"@zq"}"#)
            let alias = try await connection.send(
                .post, "/v1/holders/\(holder)/aliases",
                """
                {"ledgerId":"\(ledger)","accountId":"\(account)","relatedParties":[{"name":"\(planted.partyName)",\
                "document":"\(planted.partyDocument)","role":"LEGAL_REPRESENTATIVE","startDate":"2024-01-01"}]}
                """,
                headers: headers
            )
            #expect(alias.status == 201, "\(String(decoding: alias.body, as: UTF8.self))")
            Self.expectNone(of: planted, in: String(decoding: alias.body, as: UTF8.self), "the alias's answer")
            let changed = try await connection.send(
                .patch, "/v1/holders/\(holder)", #"{"contact":{"primaryEmail":"\#(planted.newEmail)"}}"#, headers: headers
            )
            #expect(changed.status == 200, "\(String(decoding: changed.body, as: UTF8.self))")
            Self.expectNone(of: planted, in: String(decoding: changed.body, as: UTF8.self), "the changing answer")

            // In clear only with a reason, to the holder of read-pii, and on the record.
            let unmasked = try await connection.send(.get, "/v1/holders/\(holder)?unmasked=true&reason=KYC%20review", headers: headers)
            #expect(unmasked.status == 200, "\(String(decoding: unmasked.body, as: UTF8.self))")
            let clear = try Self.object(unmasked.body)
            #expect(clear["name"] as? String == planted.name)
            #expect(clear["document"] as? String == planted.document)
            #expect((clear["contact"] as? [String: Any])?["primaryEmail"] as? String == planted.newEmail)
            #expect((clear["naturalPerson"] as? [String: Any])?["motherName"] as? String == planted.motherName)
            let aliasID = try #require(try Self.object(alias.body)["id"] as? String)
            let clearAlias = try await connection.send(
                .get, "/v1/holders/\(holder)/aliases/\(aliasID)?unmasked=true&reason=KYC%20review", headers: headers
            )
            #expect(String(decoding: clearAlias.body, as: UTF8.self).contains(planted.partyName), "the party reads back in clear")
            let reasonless = try await connection.send(.get, "/v1/holders/\(holder)?unmasked=true", headers: headers)
            #expect(reasonless.status == 400)
            let protection = try await connection.send(.get, "/v1/organizations/\(organization)/protection/audit")
            #expect(protection.status == 200, "\(String(decoding: protection.body, as: UTF8.self))")
            #expect(String(decoding: protection.body, as: UTF8.self).contains(holder), "the unmasked read is listed")
            Self.expectNone(of: planted, in: String(decoding: protection.body, as: UTF8.self), "the protection audit")

            let metrics = try await connection.send(.get, "/metrics")
            Self.expectNone(of: planted, in: String(decoding: metrics.body, as: UTF8.self), "GET /metrics")
            if backend == .sqlite { try Self.expectNone(of: planted, inFilesUnder: data, "the data directory while serving") }
            try? await connection.client.shutdown()
        }
        #expect(served.status == .exited(0))
        Self.expectNone(of: planted, in: served.logs, "the server's logs")
        try Self.expectNone(of: planted, inFilesUnder: checkpoints, "the audit checkpoints")
        if backend == .sqlite {
            try Self.expectNone(of: planted, inFilesUnder: data, "the data directory after the server stopped")
        } else if let database {
            let dump = try await ServerProcessTests.run(
                .path(FilePath(try Self.pgDump())), ["--data-only", "--dbname", try LedgerProcessTests.text(database.ownerURL)], timeout: 60
            )
            #expect(dump.status == .exited(0), "\(dump.stderr)")
            #expect(dump.stdout.contains("holder_fields"), "the dump holds the holders' tables")
            Self.expectNone(of: planted, in: dump.stdout, "pg_dump as the owner")
        }
    }

    static func object(_ body: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    /// Case-insensitive: a lower-cased email or an upper-cased document is the value too.
    static func expectNone(of planted: Planted, in text: String, _ place: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lowered = text.lowercased()
        for value in planted.all where lowered.contains(value.lowercased()) {
            Issue.record("\(place) holds a planted value in clear", sourceLocation: sourceLocation)
        }
        // Every value carries the marker: a hit on it alone finds a value cut or re-spelt.
        if lowered.contains(planted.marker) {
            Issue.record("\(place) holds this run's marker", sourceLocation: sourceLocation)
        }
    }

    /// Every regular file under `path`, as raw bytes, for every value's UTF-8 bytes.
    static func expectNone(
        of planted: Planted, inFilesUnder path: String, _ place: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let files = FileManager.default.enumerator(atPath: path) else { return }
        var scanned = 0
        for case let relative as String in files {
            let file = path + "/" + relative
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            scanned += 1
            for value in planted.all + [planted.marker, planted.marker.uppercased()] where bytes.range(of: Data(value.utf8)) != nil {
                Issue.record("\(place): \(relative) holds \(planted.all.contains(value) ? "a planted value" : "this run's marker")", sourceLocation: sourceLocation)
            }
        }
        #expect(scanned > 0, "\(place) has files to scan", sourceLocation: sourceLocation)
    }

    /// The newest installed `pg_dump`, beside the server binaries the test cluster runs on.
    static func pgDump() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.compactMap(Int.init).sorted(by: >) {
            let path = "/usr/lib/postgresql/\(version)/bin/pg_dump"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ServerProcessTests.TestFailure("no pg_dump under /usr/lib/postgresql/*/bin")
    }
}

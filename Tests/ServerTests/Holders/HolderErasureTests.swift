import Audit
import Foundation
import HTTPTypes
import Holders
import HummingbirdTesting
import Identity
import Logging
import Storage
import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Crypto-shredding (issue 29, item 4 and its done-when): `POST /v1/holders/{id}/erase`
/// destroys a holder's key and sealed fields, leaves no copy of either in SQLite's file or
/// its write-ahead log, keeps the books and the audit chain verifiable, and is appended to
/// the erasure record outside the database first, so a database put back from a copy taken
/// before the erasure is erased again at the next start, before anything is served. A
/// record that does not verify stops the start. Holders are planted through the store,
/// sealed as the service seals them.
@Suite("Holder erasure")
struct HolderErasureTests {
    static let name = PersonalFieldName("name")
    static let document = PersonalFieldName("document")
    static let email = PersonalFieldName("contact.primaryEmail")

    /// A person whose values no fixture holds by chance.
    struct Person {
        let marker = String(UInt64.random(in: 1 << 40...1 << 50), radix: 36)
        var name: String { "Eulalia Thistlewood \(marker)" }
        var document: String { "EU\(marker)42" }
        var email: String { "eulalia.\(marker)@erased.example" }
    }

    /// What a planted holder was stored as: the bytes that must go.
    struct Planted {
        let holder: StoredHolder
        let provider: MasterKeyProvider

        /// The wrapped key as stored, the provider's bytes inside it, and each sealed field.
        var secretBytes: [[UInt8]] {
            var bytes: [[UInt8]] = []
            if let wrapped = holder.wrappedDataKey { bytes += [wrapped.encoded, wrapped.wrapped] }
            return bytes + holder.fields.values.map(\.bytes)
        }
    }

    /// Stores the organization's keys (sealed under the server's master key) and a holder of
    /// `person` in it, sealed as the service would.
    static func plant(_ person: Person, organization: String, prepared: ServerApp.Prepared) async throws -> Planted {
        let now = prepared.clock.now()
        var keys = try await prepared.persistence.holders.organizationKeys(organizationID: organization)
        if keys.isEmpty {
            keys = try SealedOrganizationKey.Kind.allCases.map {
                try SealedOrganizationKey.generate($0, organizationID: organization, version: .first, sealingWith: prepared.box)
            }
            let made = keys
            try await prepared.persistence.write { work in
                for key in made { try await work.holders.addOrganizationKey(key, at: now) }
            }
        }
        let provider = try MasterKeyProvider(secretBox: prepared.box, sealedKeys: keys)
        let id = IdentifierGenerator(clock: prepared.clock).nextText()
        let key = HolderDataKey.generate()
        let sealer = FieldSealer(holderID: id, dataKey: key)
        let index = try provider.blindIndex(organizationID: organization)
        let holder = StoredHolder(
            id: id, organizationID: organization, kind: .naturalPerson, externalID: "ext-\(person.marker)", metadata: "{}",
            wrappedDataKey: try key.wrapped(holderID: id, organizationID: organization, by: provider),
            fields: [
                name: try sealer.seal(person.name, as: name), document: try sealer.seal(person.document, as: document),
                email: try sealer.seal(person.email, as: email),
            ],
            emailTerm: index.term(person.email, as: .email), documentTerm: index.term(person.document, as: .document),
            blindIndexVersion: index.version, createdAt: now, updatedAt: now
        )
        try await prepared.persistence.write { try await $0.holders.insert(holder) }
        return Planted(holder: holder, provider: provider)
    }

    static func erase(_ client: any TestClientProtocol, _ id: String, organization: String?, token: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let organization { headers[HTTPField.Name("X-Organization-Id")!] = organization }
        return try await client.json(.post, "/v1/holders/\(id)/erase", token: token, headers: headers)
    }

    /// SQLite's database file and write-ahead log, as bytes.
    static func sqliteBytes(_ path: String) -> [UInt8] {
        ["", "-wal"].reduce(into: []) { bytes, suffix in
            if let data = FileManager.default.contents(atPath: path + suffix) { bytes += Array(data) }
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    static func records(_ persistence: Persistence, action: String) async throws -> [AuditRecord] {
        try await persistence.audit.page(AuditQuery(action: action, limit: 100))
    }

    static func recordLines(_ config: ServerConfiguration) -> [Substring] {
        let path = (config.auditCheckpointDirectory as NSString).appendingPathComponent(HolderErasureLog.fileName)
        return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self).split(separator: "\n")
    }

    /// The done-when: after the erasure nothing of the holder opens, no byte of its key or
    /// fields is in the SQLite file or its `-wal`, the books balance and the chain verifies;
    /// and the database put back from a copy taken just before the erasure comes up erased,
    /// before the server serves.
    @Test func anErasureHoldsInTheFilesAndAgainstACopyTakenBefore() async throws {
        let database = try await TestDatabase.create(.sqlite)
        let config = TestServer.configuration(for: database, adminPassword: TestServer.adminPassword)
        let file = database.directory + "/strongroom.db"
        let copy = database.directory + "/before-erasure"
        do {
            let person = Person()
            let prepared = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            let app = try ServerApp.buildApplication(config, prepared: prepared, logger: TestDatabase.logger)
            let (planted, erasedAt) = try await app.test(.router) { client in
                let ledger = try await LedgerFixture.make(client, steppedUp: true)
                try await ledger.account("@alice")
                try await ledger.account("@bob")
                _ = try await ledger.posted("inflow", LedgerFixture.inflow("@alice", "100.00"))
                _ = try await ledger.posted("json", LedgerFixture.transfer("@alice", "@bob", "30.00"))
                let planted = try await Self.plant(person, organization: ledger.organization, prepared: prepared)
                let id = planted.holder.id

                // The copy an operator's backup would hold: the key and fields are in it.
                #expect(try await prepared.persistence.database.discardDeletedResidue())
                try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
                for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: file + suffix) {
                    try FileManager.default.copyItem(atPath: file + suffix, toPath: copy + "/strongroom.db" + suffix)
                }
                let before = Self.sqliteBytes(file)
                #expect(planted.secretBytes.allSatisfy { Self.contains(before, $0) })

                let erased = try await Self.erase(client, id, organization: ledger.organization, token: ledger.token)
                #expect(erased.status == .ok, "\(erased.text)")
                let body = try erased.object()
                #expect(body["id"] as? String == id && body.count == 2)
                let erasedText = try #require(body["erasedAt"] as? String)
                let erasedAt = try #require(RFC3339.parse(erasedText))

                // Nothing of it opens, nor is found by a term; its row stays.
                let stored = try #require(try await prepared.persistence.holders.find(id: id, organizationID: ledger.organization, includeDeleted: true))
                #expect(stored.erasedAt == erasedAt && stored.wrappedDataKey == nil && stored.fields.isEmpty)
                #expect(stored.emailTerm == nil && stored.externalID == planted.holder.externalID)
                let sealedName = try #require(planted.holder.fields[Self.name])
                #expect(throws: HolderSealingError.self) {
                    try FieldSealer(holderID: id, dataKey: HolderDataKey.generate()).open(sealedName, as: Self.name)
                }
                // No byte of the key or the sealed fields is left in the file or its log.
                let after = Self.sqliteBytes(file)
                #expect(!after.isEmpty)
                let left = planted.secretBytes.filter { Self.contains(after, $0) }.map(\.count)
                #expect(left.isEmpty, "secrets of these sizes are left in SQLite's files: \(left)")
                #expect(![person.name, person.document, person.email].contains { Self.contains(after, Array($0.utf8)) })

                // Again: the same answer, and nothing more done.
                let again = try await Self.erase(client, id, organization: ledger.organization, token: ledger.token)
                #expect(again.status == .ok && again.text == erased.text)
                #expect(Self.recordLines(config).count == 1)
                #expect(try await Self.records(prepared.persistence, action: HolderErasureRoutes.action).filter { $0.outcome == "success" }.count == 1)

                // The books and the chain are whole.
                #expect(try await ledger.money("@alice").available == "70.00")
                #expect(try await ledger.money("@bob").available == "30.00")
                #expect(try await ledger.money("@external/USD").available == "-100.00")
                #expect(try await prepared.auditVerification.run().isValid)
                return (planted, erasedAt)
            }
            await prepared.persistence.close()

            // The database put back from the copy taken before the erasure.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: copy + "/strongroom.db" + suffix) {
                try FileManager.default.copyItem(atPath: copy + "/strongroom.db" + suffix, toPath: file + suffix)
            }
            let id = planted.holder.id
            let organization = planted.holder.organizationID
            let restored = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            // Prepared, not yet serving: already erased, at the time of the erasure.
            let stored = try #require(try await restored.persistence.holders.find(id: id, organizationID: organization, includeDeleted: true))
            #expect(stored.erasedAt == erasedAt && stored.wrappedDataKey == nil && stored.fields.isEmpty)
            let reapplied = try await Self.records(restored.persistence, action: HolderErasureReplay.action)
            #expect(reapplied.map(\.resource) == ["holder:\(id)"] && reapplied.first?.actorKind == "system")
            // The chain verifies; the checkpoint signed at the stop after the erasure does
            // not match it, and says so: a database put back from a copy lost the records
            // made after the copy, which is what checkpoints are for (SECURITY.md).
            let chain = try await AuditTrailVerification(records: restored.persistence.audit, checkpoints: nil, verifier: nil).run()
            #expect(chain.isValid, "\(chain)")
            #expect(!(try await restored.auditVerification.run().isValid))
            let bytes = Self.sqliteBytes(file)
            let left = planted.secretBytes.filter { Self.contains(bytes, $0) }.map(\.count)
            #expect(left.isEmpty, "secrets of these sizes are left in SQLite's files after the restart: \(left)")
            await restored.persistence.close()

            // A start with nothing to re-apply does nothing.
            let again = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            #expect(try await Self.records(again.persistence, action: HolderErasureReplay.action).count == 1)
            await again.persistence.close()
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    /// A record edited after the fact stops the start with a message naming the record and
    /// the line; a last line a crash cut short does not, and the next append cuts it off. On
    /// each backend, since the start's look-up of still-keyed holders is SQL.
    @Test(arguments: TestBackend.available)
    func aTamperedRecordStopsTheStartAndATornLastLineDoesNot(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        let config = TestServer.configuration(for: database, adminPassword: TestServer.adminPassword)
        do {
            let prepared = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            let organization = IdentifierGenerator(clock: prepared.clock).nextText()
            var entries: [HolderErasureEntry] = []
            for _ in 0..<3 {
                let planted = try await Self.plant(Person(), organization: organization, prepared: prepared)
                entries.append(try #require(HolderErasureEntry(organizationID: organization, holderID: planted.holder.id, erasedAt: prepared.clock.now())))
            }
            for entry in entries { try prepared.erasures.append(entry) }
            await prepared.persistence.close()
            let path = prepared.erasures.path
            let good = try #require(FileManager.default.contents(atPath: path))

            // A crash during an append: the start goes on, and erases the three again.
            try (good + Data("v1 2026-12-07T19".utf8)).write(to: URL(fileURLWithPath: path))
            let torn = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
            #expect(try await Self.records(torn.persistence, action: HolderErasureReplay.action).count == 3)
            let fourth = try await Self.plant(Person(), organization: organization, prepared: torn)
            try torn.erasures.append(try #require(HolderErasureEntry(organizationID: organization, holderID: fourth.holder.id, erasedAt: torn.clock.now())))
            let appended = try torn.erasures.read()
            #expect(appended.entries.count == 4 && appended.tornTailBytes == 0)
            await torn.persistence.close()

            // The second line's holder changed by one digit: the start stops.
            var lines = String(decoding: good, as: UTF8.self).split(separator: "\n").map(String.init)
            let holder = entries[1].holderID
            let other = String(holder.dropLast()) + (holder.hasSuffix("0") ? "1" : "0")
            lines[1] = lines[1].replacingOccurrences(of: holder, with: other)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            do {
                let started = try await ServerApp.prepare(config, executor: InlineExecutor(), logger: TestDatabase.logger)
                await started.persistence.close()
                Issue.record("a server started on a tampered erasure record")
            } catch let error as ConfigurationError {
                #expect("\(error)".contains("erasure record") && "\(error)".contains("line 2"), "\(error)")
            }
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    /// The route on each backend: the permission and its scope, the header, another
    /// organization's holder and an unknown one answered as unknown, and each erasure
    /// audited once with ids only.
    @Test(arguments: TestBackend.available)
    func theRouteErasesOnlyInTheCallersOrganization(backend: TestBackend) async throws {
        try await TestServer.with(backend) { client, prepared, config in
            let ledger = try await LedgerFixture.make(client, steppedUp: true)
            let organization = ledger.organization
            let elsewhere = IdentifierGenerator(clock: prepared.clock).nextText()
            let person = Person()
            let mine = try await Self.plant(person, organization: organization, prepared: prepared)
            let theirs = try await Self.plant(Person(), organization: elsewhere, prepared: prepared)
            let scope = try #require(AccessScope(organizationID: organization, ledgerID: nil))
            let (_, eraser) = try await IdentityFixture.user("eraser", permissions: [.holdersErase], scope: scope, client: client, prepared: prepared)
            let (_, reader) = try await IdentityFixture.user("reader", permissions: [.holdersRead, .holdersWrite], client: client, prepared: prepared)

            try await Self.erase(client, mine.holder.id, organization: organization, token: reader).expectProblem(.forbidden)
            try await Self.erase(client, mine.holder.id, organization: nil, token: eraser).expectProblem(.badRequest, code: "SR-0008")
            try await Self.erase(client, theirs.holder.id, organization: elsewhere, token: eraser).expectProblem(.forbidden)
            try await Self.erase(client, theirs.holder.id, organization: organization, token: eraser).expectProblem(.notFound, code: "SR-2020")
            try await Self.erase(client, UUID().uuidString.lowercased(), organization: organization, token: eraser).expectProblem(.notFound)
            try await Self.erase(client, "not-an-id", organization: organization, token: eraser).expectProblem(.notFound)
            #expect(Self.recordLines(config).isEmpty)

            let erased = try await Self.erase(client, mine.holder.id, organization: organization.uppercased(), token: eraser)
            #expect(erased.status == .ok, "\(erased.text)")
            let again = try await Self.erase(client, mine.holder.id.uppercased(), organization: organization, token: eraser)
            #expect(again.status == .ok && again.text == erased.text)
            #expect(Self.recordLines(config).count == 1)
            #expect(Self.recordLines(config).first?.contains("\(organization) \(mine.holder.id) ") == true)

            // The other organization's holder is untouched.
            let untouched = try await prepared.persistence.holders.find(id: theirs.holder.id, organizationID: elsewhere)
            #expect(untouched == theirs.holder)
            let gone = try #require(try await prepared.persistence.holders.find(id: mine.holder.id, organizationID: organization, includeDeleted: true))
            #expect(gone.wrappedDataKey == nil && gone.fields.isEmpty && gone.erasedAt != nil)

            let records = try await Self.records(prepared.persistence, action: HolderErasureRoutes.action)
            let successes = records.filter { $0.outcome == "success" }
            #expect(successes.map(\.resource) == ["holder:\(mine.holder.id)"])
            for record in records {
                for value in [person.name, person.document, person.email] { #expect(!record.summary.contains(value)) }
            }
            #expect(try await prepared.auditVerification.run().isValid)
        }
    }
}

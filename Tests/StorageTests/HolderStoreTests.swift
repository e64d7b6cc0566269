import Foundation
import Holders
import Secrets
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The holder store on both backends (migration 10, `HolderSchema`), with real sealing: the
/// organization keys are stored sealed and read back into a `MasterKeyProvider`, a holder's
/// fields round-trip sealed and open to what was sealed, lists filter by external id and
/// blind-index term, a soft delete hides a holder, an erasure leaves its row and nothing that
/// opens, and no planted personal value is anywhere in the database's bytes.
@Suite("Holder store")
struct HolderStoreTests {
    static let organization = "019300aa-0000-7000-8000-00000000000a"
    static let otherOrganization = "019300bb-0000-7000-8000-00000000000b"
    static let at = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
    static let name = PersonalFieldName("name")
    static let document = PersonalFieldName("document")
    static let email = PersonalFieldName("contact.primaryEmail")
    static let line1 = PersonalFieldName("addresses.primary.line1")

    static func id(_ n: Int) -> String { String(format: "01930000-0000-7000-8000-%012d", n) }

    static let box: SecretBox = {
        // Bytes 1...32: not constant, so MasterKey takes them.
        guard let key = try? MasterKey(bytes: (1...32).map { UInt8($0) }) else { preconditionFailure("fixture master key") }
        return SecretBox(masterKey: key)
    }()

    /// A person's values, distinctive enough that a hit in the raw bytes is theirs.
    struct Person {
        var name: String
        var document: String
        var email: String
        var line1: String

        var values: [String] { [name, document, email, line1] }

        static func numbered(_ n: Int) -> Person {
            Person(
                name: "Philippa Quenby-Marchetti \(n)", document: "987.654.321-\(String(format: "%02d", n))",
                email: "philippa.quenby\(n)@example.org", line1: "\(n) Worsted Lane, Huddersfield"
            )
        }
    }

    /// Stores both organizations' keys and answers a provider built from what was stored.
    static func storeKeys(_ persistence: Persistence) async throws -> MasterKeyProvider {
        let keys = try [organization, otherOrganization].flatMap { organization in
            try SealedOrganizationKey.Kind.allCases.map {
                try SealedOrganizationKey.generate($0, organizationID: organization, version: .first, sealingWith: box)
            }
        }
        try await persistence.write { work in
            for key in keys { try await work.holders.addOrganizationKey(key, at: at) }
        }
        let stored = try await persistence.holders.organizationKeys()
        #expect(Set(stored.map(\.sealed)) == Set(keys.map(\.sealed)) && stored.count == 4)
        #expect(try await persistence.holders.organizationKeys(organizationID: organization).allSatisfy { $0.organizationID == organization })
        return try MasterKeyProvider(secretBox: box, sealedKeys: stored)
    }

    /// A holder of `person`, sealed as the service would seal it.
    static func holder(
        _ id: String, _ person: Person, organization: String = organization, externalID: String? = nil, metadata: String = "{}",
        provider: MasterKeyProvider
    ) throws -> StoredHolder {
        let key = HolderDataKey.generate()
        let sealer = FieldSealer(holderID: id, dataKey: key)
        let index = try provider.blindIndex(organizationID: organization)
        return StoredHolder(
            id: id, organizationID: organization, kind: .naturalPerson, externalID: externalID, metadata: metadata,
            wrappedDataKey: try key.wrapped(holderID: id, organizationID: organization, by: provider),
            fields: [
                Self.name: try sealer.seal(person.name, as: Self.name), Self.document: try sealer.seal(person.document, as: Self.document),
                Self.email: try sealer.seal(person.email, as: Self.email), Self.line1: try sealer.seal(person.line1, as: Self.line1),
            ],
            emailTerm: index.term(person.email, as: .email), documentTerm: index.term(person.document, as: .document),
            blindIndexVersion: index.version, createdAt: at, updatedAt: at
        )
    }

    /// The holder's fields opened with its unwrapped data key.
    static func opened(_ holder: StoredHolder, provider: MasterKeyProvider) throws -> [PersonalFieldName: String] {
        // An erased holder has no key: nothing opens.
        guard let wrapped = holder.wrappedDataKey else { throw HolderSealingError.dataKeyDoesNotOpen }
        let key = try wrapped.unwrap(holderID: holder.id, organizationID: holder.organizationID, by: provider)
        let sealer = FieldSealer(holderID: holder.id, dataKey: key)
        return try holder.fields.reduce(into: [:]) { $0[$1.key] = try sealer.open($1.value, as: $1.key) }
    }

    @Test(arguments: TestBackend.available)
    func aHolderRoundTripsSealedAndListsByTermAndExternalID(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let provider = try await Self.storeKeys(persistence)
            let (ada, bo) = (Person.numbered(1), Person.numbered(2))
            let first = try Self.holder(Self.id(1), ada, externalID: "EXT-1", metadata: #"{"segment":"retail"}"#, provider: provider)
            let second = try Self.holder(Self.id(2), bo, externalID: "EXT-2", provider: provider)
            // The same person in another organization: other terms, never found from here.
            let elsewhere = try Self.holder(Self.id(3), ada, organization: Self.otherOrganization, provider: provider)
            try await persistence.write { work in
                for holder in [first, second, elsewhere] { try await work.holders.insert(holder) }
            }

            let read = try #require(try await persistence.holders.find(id: Self.id(1), organizationID: Self.organization))
            #expect(read == first)
            #expect(try Self.opened(read, provider: provider) == [
                Self.name: ada.name, Self.document: ada.document, Self.email: ada.email, Self.line1: ada.line1,
            ])
            #expect(try await persistence.holders.find(id: Self.id(3), organizationID: Self.organization) == nil)

            let index = try provider.blindIndex(organizationID: Self.organization)
            let holders = persistence.holders
            func listed(_ filter: HolderRecords.Filter, after cursor: String? = nil, limit: Int = 10) async throws -> [String] {
                try await holders.list(organizationID: Self.organization, filter: filter, after: cursor, limit: limit).map(\.id)
            }
            #expect(try await listed(.init()) == [Self.id(1), Self.id(2)])
            #expect(try await listed(.init(), limit: 1) == [Self.id(1)])
            #expect(try await listed(.init(), after: Self.id(1)) == [Self.id(2)])
            // Another spelling of the same document and email finds the holder by its term.
            #expect(try await listed(.init(documentTerm: index.term("98765432101", as: .document))) == [Self.id(1)])
            #expect(try await listed(.init(emailTerm: index.term("  Philippa.Quenby2@EXAMPLE.org", as: .email))) == [Self.id(2)])
            #expect(try await listed(.init(emailTerm: index.term(ada.document, as: .email))).isEmpty)
            #expect(try await listed(.init(externalID: "EXT-2")) == [Self.id(2)])
            #expect(try await listed(.init(externalID: "EXT-2", emailTerm: index.term(ada.email, as: .email))).isEmpty)
            let page = try await holders.list(organizationID: Self.organization, after: nil, limit: 5)
            #expect(page == [first, second])

            // An update replaces the fields: a changed one opens to its new value, one left out
            // is gone.
            var changed = first
            let sealer = FieldSealer(
                holderID: first.id,
                dataKey: try #require(first.wrappedDataKey).unwrap(holderID: first.id, organizationID: Self.organization, by: provider)
            )
            changed.fields[Self.line1] = try sealer.seal("2 Mill Street, Hebden Bridge", as: Self.line1)
            changed.fields[Self.email] = nil
            changed.emailTerm = nil
            changed.metadata = #"{"segment":"private"}"#
            changed.updatedAt = Self.at.adding(seconds: 60)
            let change = changed
            #expect(try await persistence.write { try await $0.holders.update(change) })
            let updated = try #require(try await holders.find(id: Self.id(1), organizationID: Self.organization))
            #expect(updated == changed)
            #expect(try Self.opened(updated, provider: provider) == [
                Self.name: ada.name, Self.document: ada.document, Self.line1: "2 Mill Street, Hebden Bridge",
            ])
            #expect(try await listed(.init(emailTerm: index.term(ada.email, as: .email))).isEmpty)

            // A soft delete hides the holder from reads and lists, unless they ask.
            #expect(try await persistence.write { try await $0.holders.softDelete(id: Self.id(2), organizationID: Self.organization, at: Self.at) })
            #expect(!(try await persistence.write { try await $0.holders.softDelete(id: Self.id(2), organizationID: Self.organization, at: Self.at) }))
            #expect(try await holders.find(id: Self.id(2), organizationID: Self.organization) == nil)
            #expect(try await listed(.init()) == [Self.id(1)])
            #expect(try await listed(.init(includeDeleted: true)) == [Self.id(1), Self.id(2)])
            let deleted = try #require(try await holders.find(id: Self.id(2), organizationID: Self.organization, includeDeleted: true))
            #expect(deleted.deletedAt == Self.at)
            #expect(try Self.opened(deleted, provider: provider)[Self.name] == bo.name)
            // A deleted holder is not updated.
            #expect(!(try await persistence.write { try await $0.holders.update(deleted) }))
        }
    }

    @Test(arguments: TestBackend.available)
    func anErasedHoldersRowStaysWithNothingThatOpens(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let provider = try await Self.storeKeys(persistence)
            let ada = Person.numbered(1)
            let holder = try Self.holder(Self.id(1), ada, externalID: "EXT-1", provider: provider)
            let other = try Self.holder(Self.id(2), Person.numbered(2), provider: provider)
            try await persistence.write { work in
                try await work.holders.insert(holder)
                try await work.holders.insert(other)
            }
            let later = Self.at.adding(seconds: 60)
            #expect(try await persistence.write { try await $0.holders.erase(id: Self.id(1), organizationID: Self.organization, at: later) })
            #expect(!(try await persistence.write { try await $0.holders.erase(id: Self.id(1), organizationID: Self.organization, at: later) }))

            let erased = try #require(try await persistence.holders.find(id: Self.id(1), organizationID: Self.organization, includeDeleted: true))
            #expect(erased.erasedAt == later && erased.deletedAt == later)
            #expect(erased.wrappedDataKey == nil && erased.fields.isEmpty)
            #expect(erased.emailTerm == nil && erased.documentTerm == nil && erased.blindIndexVersion == nil)
            #expect(erased.externalID == "EXT-1" && erased.createdAt == Self.at)
            #expect(throws: HolderSealingError.dataKeyDoesNotOpen) { try Self.opened(erased, provider: provider) }
            // Nothing of it is left to open, nor to find by term.
            let left = try await persistence.database.direct.query("SELECT field FROM holder_fields WHERE holder_id = $1", [.text(Self.id(1))])
            #expect(left.isEmpty)
            let index = try provider.blindIndex(organizationID: Self.organization)
            #expect(try await persistence.holders.list(
                organizationID: Self.organization, filter: .init(documentTerm: index.term(ada.document, as: .document), includeDeleted: true),
                after: nil, limit: 10
            ).isEmpty)
            // The sealed fields kept from before do not open with another holder's key.
            let otherKey = try #require(other.wrappedDataKey).unwrap(holderID: other.id, organizationID: Self.organization, by: provider)
            let sealedName = try #require(holder.fields[Self.name])
            #expect(throws: HolderSealingError.self) {
                try FieldSealer(holderID: holder.id, dataKey: otherKey).open(sealedName, as: Self.name)
            }
            // An erased holder is not updated, and the other holder is untouched.
            #expect(!(try await persistence.write { try await $0.holders.update(holder) }))
            let untouched = try #require(try await persistence.holders.find(id: Self.id(2), organizationID: Self.organization))
            #expect(untouched == other)
        }
    }

    /// Known personal values written through the store are nowhere in the database's bytes:
    /// not in SQLite's file or its write-ahead log, not in any column of the new tables read
    /// as text on PostgreSQL (bytes read as hex, so the hex of each value is looked for too).
    /// The metadata, which is not sealed, is found, so the scan does see what is stored.
    @Test(arguments: TestBackend.available)
    func noPlantedPersonalValueIsInTheStoredBytes(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, database in
            let provider = try await Self.storeKeys(persistence)
            let people = (1...3).map(Person.numbered)
            let marker = "visible-metadata-marker-7f3a"
            try await persistence.write { work in
                for (n, person) in people.enumerated() {
                    let id = Self.id(n + 1)
                    try await work.holders.insert(try Self.holder(id, person, metadata: #"{"note":"\#(marker)"}"#, provider: provider))
                }
            }
            let planted = people.flatMap(\.values)
            switch backend {
            case .sqlite:
                var bytes: [UInt8] = []
                for suffix in ["", "-wal"] {
                    let path = database.directory + "/strongroom.db" + suffix
                    if let data = FileManager.default.contents(atPath: path) { bytes += Array(data) }
                }
                #expect(!bytes.isEmpty)
                #expect(Self.contains(bytes, marker))
                for value in planted { #expect(!Self.contains(bytes, value), "\(value) is in the SQLite files") }
            case .postgres:
                var text = ""
                for table in ["holders", "holder_fields", "holder_organization_keys"] {
                    for row in try await persistence.database.direct.query("SELECT t::text AS row FROM \(table) t", []) {
                        text += try row.text("row") + "\n"
                    }
                }
                #expect(text.contains(marker))
                for value in planted {
                    let hex = value.utf8.map { String(format: "%02x", $0) }.joined()
                    #expect(!text.contains(value) && !text.lowercased().contains(hex), "\(value) is in a holder table")
                }
            }
        }
    }

    /// PostgreSQL's service role never deletes a holder, never moves one to another
    /// organization or type, and never rewrites or removes an organization key.
    @Test(arguments: TestBackend.available.filter { $0 == .postgres })
    func theServiceRoleCannotRemoveHoldersOrRewriteKeys(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let provider = try await Self.storeKeys(persistence)
            try await persistence.write { try await $0.holders.insert(try Self.holder(Self.id(1), Person.numbered(1), provider: provider)) }
            for sql in [
                "DELETE FROM holders", "UPDATE holders SET organization_id = 'elsewhere'", "UPDATE holders SET type = 'LEGAL_PERSON'",
                "UPDATE holder_organization_keys SET sealed = sealed", "DELETE FROM holder_organization_keys",
            ] {
                await #expect(throws: (any Error).self, "\(sql)") { try await persistence.database.direct.execute(sql) }
            }
            #expect(try await persistence.holders.find(id: Self.id(1), organizationID: Self.organization) != nil)
            #expect(try await persistence.holders.organizationKeys().count == 4)
        }
    }

    /// The schema refuses an erased holder that keeps its key, and a live one without.
    @Test(arguments: TestBackend.available)
    func theSchemaTiesAMissingKeyToAnErasure(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let provider = try await Self.storeKeys(persistence)
            var keyless = try Self.holder(Self.id(1), Person.numbered(1), provider: provider)
            keyless.wrappedDataKey = nil
            let keylessHolder = keyless
            await #expect(throws: (any Error).self) { try await persistence.write { try await $0.holders.insert(keylessHolder) } }
            var erasedWithKey = try Self.holder(Self.id(2), Person.numbered(2), provider: provider)
            erasedWithKey.erasedAt = Self.at
            erasedWithKey.emailTerm = nil
            erasedWithKey.documentTerm = nil
            let erasedHolder = erasedWithKey
            await #expect(throws: (any Error).self) { try await persistence.write { try await $0.holders.insert(erasedHolder) } }
            #expect(try await persistence.holders.list(organizationID: Self.organization, filter: .init(includeDeleted: true), after: nil, limit: 9).isEmpty)
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}

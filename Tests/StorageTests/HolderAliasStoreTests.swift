import Bookkeeping
import Foundation
import Holders
@testable import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

/// The holder alias store on both backends (migration 11, `HolderAliasSchema`): an alias
/// round-trips, lists by holder, ledger and account, changes and is soft-deleted; a UK pair
/// is held by one live alias at a time; the ledger keeps its `bankDetails` setting; and the
/// schema's CHECKs refuse bad bank details written straight to the table with SQL.
@Suite("Holder alias store")
struct HolderAliasStoreTests {
    static let clock = SystemClock()
    static let at = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

    /// What an alias links to: an organization, a UK ledger with one account, and a holder.
    struct Links {
        let organization: String
        let ledger: String
        let account: String
        let holder: String
    }

    static func decode<T: Decodable>(_ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }

    static func links(_ persistence: Persistence) async throws -> Links {
        let onboarding = Onboarding(clock: clock)
        let provider = try await HolderStoreTests.storeKeys(persistence)
        return try await persistence.write { work in
            let store = work.ledger
            let organization = HolderStoreTests.organization
            let existing = try await store.find(Organization.self, id: organization, in: .root)
            #expect(existing == nil)
            // The organization's id must be the one the holder keys were stored for.
            try await store.insert(Organization(
                id: organization, parentOrganizationID: nil, legalName: "A", doingBusinessAs: nil, legalDocument: "1", address: nil,
                status: EntityStatus(code: "ACTIVE"), metadata: Metadata(), createdAt: at, updatedAt: at
            ))
            let ledger = try await onboarding.createLedger(
                try decode(#"{"name":"L","settings":{"bankDetails":"uk"}}"#), organizationID: organization, store: store
            )
            let ref = LedgerRef(organizationID: organization, ledgerID: ledger.id)
            _ = try await onboarding.createAsset(try decode(#"{"name":"Pound","type":"currency","code":"GBP"}"#), in: ref, store: store)
            let account = try await onboarding.createAccount(try decode(#"{"assetCode":"GBP","type":"deposit","alias":"@a"}"#), in: ref, store: store)
            let holder = try HolderStoreTests.holder(HolderStoreTests.id(1), .numbered(1), provider: provider)
            try await work.holders.insert(holder)
            return Links(organization: organization, ledger: ledger.id, account: account.id, holder: holder.id)
        }
    }

    static func alias(_ id: Int, _ links: Links, sortCode: String?, accountNumber: String?) -> StoredHolderAlias {
        StoredHolderAlias(
            id: HolderStoreTests.id(100 + id), organizationID: links.organization, holderID: links.holder, ledgerID: links.ledger,
            accountID: links.account, bankDetails: .init(sortCode: sortCode, accountNumber: accountNumber, countryCode: "GB"),
            metadata: #"{"tier":"gold"}"#, createdAt: at, updatedAt: at
        )
    }

    @Test(arguments: TestBackend.available)
    func anAliasRoundTripsListsChangesAndIsDeletedAndAPairIsHeldOnce(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let links = try await Self.links(persistence)
            let ledger = try #require(try await persistence.ledger.find(Ledger.self, id: links.ledger, in: .organization(links.organization)))
            #expect(ledger.settings == LedgerSettings(bankDetails: "uk"))

            let first = Self.alias(1, links, sortCode: "089999", accountNumber: "66374958")
            let second = Self.alias(2, links, sortCode: nil, accountNumber: nil)
            try await persistence.write { work in
                try await work.holderAliases.insert(first)
                try await work.holderAliases.insert(second)
            }
            let aliases = persistence.holderAliases
            #expect(try await aliases.find(id: first.id, holderID: links.holder, organizationID: links.organization) == first)
            #expect(try await aliases.find(id: first.id, holderID: links.holder, organizationID: HolderStoreTests.otherOrganization) == nil)
            #expect(try await aliases.find(id: first.id, holderID: HolderStoreTests.id(2), organizationID: links.organization) == nil)
            #expect(try await aliases.isTaken(sortCode: "089999", accountNumber: "66374958"))
            #expect(try await aliases.list(organizationID: links.organization, after: nil, limit: 10).map(\.id) == [first.id, second.id])
            #expect(try await aliases.list(organizationID: links.organization, after: first.id, limit: 10).map(\.id) == [second.id])
            #expect(try await aliases.list(organizationID: links.organization, filter: .init(accountID: links.account), after: nil, limit: 1)
                .map(\.id) == [first.id])
            #expect(try await aliases.list(organizationID: links.organization, filter: .init(holderID: HolderStoreTests.id(2)), after: nil, limit: 9)
                .isEmpty)
            #expect(try await aliases.list(organizationID: HolderStoreTests.otherOrganization, after: nil, limit: 9).isEmpty)

            // The pair is held by one live alias: another insert or a change to it is refused.
            let duplicate = Self.alias(3, links, sortCode: "089999", accountNumber: "66374958")
            await #expect(throws: HolderAliasRecords.BankDetailsTaken.self) {
                try await persistence.write { try await $0.holderAliases.insert(duplicate) }
            }
            var moved = second
            moved.bankDetails = first.bankDetails
            let movedAlias = moved
            await #expect(throws: HolderAliasRecords.BankDetailsTaken.self) {
                try await persistence.write { _ = try await $0.holderAliases.update(movedAlias) }
            }

            var changed = first
            changed.metadata = "{}"
            changed.updatedAt = Self.at.adding(seconds: 5)
            let changedAlias = changed
            #expect(try await persistence.write { try await $0.holderAliases.update(changedAlias) })
            #expect(try await aliases.find(id: first.id, holderID: links.holder, organizationID: links.organization) == changed)

            // Deleted, the alias is hidden unless asked for, and its pair is free again.
            #expect(try await persistence.write {
                try await $0.holderAliases.softDelete(id: first.id, holderID: links.holder, organizationID: links.organization, at: Self.at)
            })
            #expect(try await aliases.find(id: first.id, holderID: links.holder, organizationID: links.organization) == nil)
            #expect(try await aliases.find(id: first.id, holderID: links.holder, organizationID: links.organization, includeDeleted: true) != nil)
            #expect(try await aliases.list(organizationID: links.organization, filter: .init(includeDeleted: true), after: nil, limit: 9).count == 2)
            #expect(try await !aliases.isTaken(sortCode: "089999", accountNumber: "66374958"))
            try await persistence.write { try await $0.holderAliases.insert(duplicate) }
            #expect(try await !persistence.write {
                try await $0.holderAliases.softDelete(id: first.id, holderID: links.holder, organizationID: links.organization, at: Self.at)
            })
        }
    }

    /// Written straight to the table, bank details that are not six and eight ASCII digits,
    /// or one without the other, or beside free text, are refused by the schema; so is a
    /// ledger setting other than `uk`. A good pair is the control.
    @Test(arguments: TestBackend.available)
    func theSchemaRefusesBadBankDetailsWrittenDirectly(backend: TestBackend) async throws {
        try await TestDatabase.with(backend) { persistence, _ in
            let links = try await Self.links(persistence)
            let database = persistence.database
            var next = 0
            func insert(_ sortCode: String?, _ accountNumber: String?, branch: String? = nil) async throws {
                next += 1
                let id = HolderStoreTests.id(200 + next)
                try await database.transaction { executor in
                    try await executor.execute(
                    """
                    INSERT INTO holder_aliases (id, organization_id, holder_id, ledger_id, account_id, sort_code, account_number, branch,
                        metadata, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', 0, 0)
                    """,
                    [
                        .text(id), .text(links.organization), .text(links.holder), .text(links.ledger),
                        .text(links.account), .optional(sortCode), .optional(accountNumber), .optional(branch),
                    ]
                    )
                }
            }
            let bad: [(String?, String?)] = [
                ("08999", "66374958"), ("0899990", "66374958"), ("08-99-99", "66374958"), ("08999a", "66374958"),
                ("089999 ", "66374958"), ("089999\n", "66374958"), ("\u{FF10}89999", "66374958"), ("08\u{0669}999", "66374958"),
                ("", "66374958"), ("089999", "6637495"), ("089999", "663749580"), ("089999", "6637495x"), ("089999", "66374958\n"),
                ("089999", "\u{0661}6374958"), ("089999", nil), (nil, "66374958"),
            ]
            for (sortCode, accountNumber) in bad {
                await #expect(throws: (any Error).self, "\(String(describing: sortCode)) \(String(describing: accountNumber))") {
                    try await insert(sortCode, accountNumber)
                }
            }
            await #expect(throws: (any Error).self, "UK columns beside free text") { try await insert("089999", "66374958", branch: "0001") }
            try await insert("089999", "66374958")
            try await insert(nil, nil, branch: "0001")
            #expect(try await persistence.holderAliases.list(organizationID: links.organization, after: nil, limit: 99).count == 2)

            await #expect(throws: (any Error).self) {
                try await database.transaction { try await $0.execute("UPDATE ledger_ledgers SET bank_details = 'us'", []) }
            }
            try await database.transaction { try await $0.execute("UPDATE ledger_ledgers SET bank_details = 'uk'", []) }
        }
    }
}

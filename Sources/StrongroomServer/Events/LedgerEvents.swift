import Bookkeeping
import Events
import LedgerCore
import StrongroomKernel

/// The ledger's events as the outbox stores them: a transaction's step (posted, pending,
/// committed, cancelled, reverted) and an onboarding entity's change (created, updated,
/// deleted). Each body is a small JSON object rendered through `SortedJSONWriter`: ids,
/// status, asset and amount as the API renders them, the names of the fields a change
/// touched; never metadata, descriptions or anything a holder or a client wrote, so no
/// personal data and no secret can reach a receiver through an event.
enum LedgerEvents {
    /// Event ids: UUIDv7, like every other id.
    static let ids = IdentifierGenerator(clock: SystemClock())

    /// The event of a posting command that succeeded with `transaction` (for a revert, the
    /// reversal it posted, whose parent is the reverted transaction).
    static func transaction(_ command: PostingCommand, _ transaction: Transaction) throws(EventEnvelopeError) -> EventEnvelope {
        switch command {
        case .create: try created(transaction)
        case .commit: try event(.transactionCommitted, transaction)
        case .cancel: try event(.transactionCancelled, transaction)
        case .revert: try event(.transactionReverted, transaction)
        }
    }

    /// The event of a newly created transaction: pending, or posted.
    static func created(_ transaction: Transaction) throws(EventEnvelopeError) -> EventEnvelope {
        try event(transaction.status == .pending ? .transactionPending : .transactionPosted, transaction)
    }

    private static func event(_ type: EventType, _ transaction: Transaction) throws(EventEnvelopeError) -> EventEnvelope {
        try EventEnvelope(
            id: ids.nextText(), type: type, time: transaction.updatedAt, organizationID: transaction.organizationID,
            ledgerID: transaction.ledgerID, orderingKey: nil, body: SortedJSONWriter.write(TransactionBody(transaction), capacity: 320)
        )
    }

    /// The event of an onboarding entity's change. `kind` and `change` name the type
    /// (`account.updated`); `scope` is where the entity lives, from its path; `fields` are
    /// the names a PATCH set. An account's events are ordered by the account.
    static func entity(
        _ kind: EntityKind, _ change: EntityChange, id: String, scope: EntityScope, fields: [String] = [], at time: Timestamp
    ) throws(EventEnvelopeError) -> EventEnvelope {
        // An organization belongs to itself; a ledger to its organization and itself.
        let organizationID = kind == .organization ? id : scope.organizationID
        let ledgerID = kind == .ledger ? id : scope.ledgerID
        let body = EntityBody(fields: change == .updated ? fields : nil, id: id, ledgerID: ledgerID, organizationID: organizationID)
        return try EventEnvelope(
            id: ids.nextText(), type: type(kind, change), time: time, organizationID: organizationID, ledgerID: ledgerID,
            orderingKey: kind == .account ? id : nil, body: SortedJSONWriter.write(body, capacity: 256)
        )
    }

    /// What happened to an entity.
    enum EntityChange: Sendable {
        case created, updated, deleted
    }

    static func type(_ kind: EntityKind, _ change: EntityChange) -> EventType {
        switch (kind, change) {
        case (.organization, .created): .organizationCreated
        case (.organization, .updated): .organizationUpdated
        case (.organization, .deleted): .organizationDeleted
        case (.ledger, .created): .ledgerCreated
        case (.ledger, .updated): .ledgerUpdated
        case (.ledger, .deleted): .ledgerDeleted
        case (.asset, .created): .assetCreated
        case (.asset, .updated): .assetUpdated
        case (.asset, .deleted): .assetDeleted
        case (.portfolio, .created): .portfolioCreated
        case (.portfolio, .updated): .portfolioUpdated
        case (.portfolio, .deleted): .portfolioDeleted
        case (.segment, .created): .segmentCreated
        case (.segment, .updated): .segmentUpdated
        case (.segment, .deleted): .segmentDeleted
        case (.account, .created): .accountCreated
        case (.account, .updated): .accountUpdated
        case (.account, .deleted): .accountDeleted
        }
    }

    /// `{"amount","assetCode","id","ledgerId","organizationId","parentTransactionId"?,"pending","status"}`.
    struct TransactionBody: SortedJSONWritable {
        let transaction: Transaction

        init(_ transaction: Transaction) { self.transaction = transaction }

        func write(to json: inout SortedJSONWriter) {
            json.beginObject()
            json.member("amount", transaction.amount)
            json.member("assetCode", transaction.assetCode)
            json.member("id", transaction.id)
            json.member("ledgerId", transaction.ledgerID)
            json.member("organizationId", transaction.organizationID)
            json.member("parentTransactionId", ifPresent: transaction.parentTransactionID)
            json.member("pending", transaction.pending)
            json.member("status", transaction.status.rawValue)
            json.endObject()
        }
    }

    /// `{"fields"?,"id","ledgerId"?,"organizationId"?}`.
    struct EntityBody: SortedJSONWritable {
        let fields: [String]?
        let id: String
        let ledgerID: String?
        let organizationID: String?

        func write(to json: inout SortedJSONWriter) {
            json.beginObject()
            if let fields {
                json.key("fields")
                json.beginArray()
                for field in fields {
                    json.element()
                    json.string(field)
                }
                json.endArray()
            }
            json.member("id", id)
            json.member("ledgerId", ifPresent: ledgerID)
            json.member("organizationId", ifPresent: organizationID)
            json.endObject()
        }
    }
}

import Audit
import Bookkeeping
import Crypto
import Events
import Foundation
import Identity
import Hummingbird
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST …/transactions/batch`: up to 8190 bodies of `/transactions/json` posted in one unit
/// of work ("Group commit and the batch endpoint" in docs/ARCHITECTURE.md).
struct TransactionBatchRequest: StrictDecodable, Encodable, SortedJSONWritable, Sendable {
    static let maxItems = 8190
    /// API.md: the batch route takes bodies up to 8 MiB, every other route 1 MiB.
    static let bodyLimit = 8 << 20

    let atomic: Bool
    let transactions: [TransactionBody]

    static let shape: BodyShape = .object(["atomic": nil, "transactions": .array(.transaction(.json))], required: ["transactions"])

    enum CodingKeys: String, CodingKey {
        case atomic, transactions
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        atomic = try container.decodeIfPresent(Bool.self, forKey: .atomic) ?? false
        transactions = try container.decode([TransactionBody].self, forKey: .transactions)
        guard (1...Self.maxItems).contains(transactions.count) else {
            let message = "must hold from 1 to \(Self.maxItems) transactions"
            throw StrongroomError(
                .invalidField, "Field 'transactions': \(message).", fields: [.init(field: "transactions", message: message)]
            )
        }
    }

    /// The canonical text the batch's idempotency key hashes: its `Encodable` form as
    /// `JSONEncoder` renders it with sorted keys, written without `JSONEncoder`'s containers.
    func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("atomic", atomic)
        json.member("transactions", transactions)
        json.endObject()
    }
}

/// The answer to a batch: one result per item, in the order posted. Rendered only by
/// `write(to:)`, whose items carry each transaction's one rendering; `RequestRenderingTests`
/// holds it to the shape answers already stored have.
struct TransactionBatchAnswer: SortedJSONWritable {
    enum Detail: String {
        case full, compact
    }

    struct Item {
        let index: Int
        let status: Int
        /// Compact answers: the created transaction's id.
        let id: String?
        let transaction: Transaction?
        /// A refused item's problem document, as any refusal renders it (without `instance`:
        /// the answer's request is the batch's).
        let error: Problem.Document?
    }

    let created: Int
    let failed: Int
    let items: [Item]

    init(_ outcomes: [PostingEngine.Outcome], detail: Detail) {
        var items: [Item] = []
        items.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let transaction):
                items.append(Item(
                    index: index, status: 201, id: detail == .compact ? transaction.id : nil,
                    transaction: detail == .full ? transaction : nil, error: nil
                ))
            case .failure(let error):
                items.append(Item(
                    index: index, status: Int(Problem.status(for: error.kind).code), id: nil, transaction: nil,
                    error: Problem.document(error, instance: nil)
                ))
            }
        }
        self.items = items
        self.created = items.count(where: { $0.status == 201 })
        self.failed = outcomes.count - created
    }

    /// The refusal of an atomic batch: each refused item named as a field of the problem.
    static func refusal(_ outcomes: [PostingEngine.Outcome]) -> StrongroomError? {
        var fields: [StrongroomError.FieldError] = []
        for (index, outcome) in outcomes.enumerated() {
            if case .failure(let error) = outcome {
                fields.append(.init(field: "transactions[\(index)]", message: "\(error.code.rawValue): \(error.detail)"))
            }
        }
        guard !fields.isEmpty else { return nil }
        return StrongroomError(
            .batchRefused,
            "\(fields.count) of \(outcomes.count) transactions were refused; an atomic batch commits none.", fields: fields
        )
    }

    /// SHA-256 over every id the batch created (each transaction's, then its operations'),
    /// newline-separated in answer order: what the audit record commits to.
    static func createdDigest(_ outcomes: [PostingEngine.Outcome]) -> String {
        var hasher = SHA256()
        for case .success(let transaction) in outcomes {
            for id in [transaction.id] + transaction.operations.map(\.id) {
                hasher.update(data: Data((id + "\n").utf8))
            }
        }
        return Hex.string(hasher.finalize())
    }

    func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("created", Int64(created))
        json.member("failed", Int64(failed))
        json.member("items", items)
        json.endObject()
    }
}

extension TransactionBatchAnswer.Item: SortedJSONWritable {
    func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("error", ifPresent: error)
        json.member("id", ifPresent: id)
        json.member("index", Int64(index))
        json.member("status", Int64(status))
        json.member("transaction", ifPresent: transaction)
        json.endObject()
    }
}

extension TransactionRoutes {
    static func registerBatch(on routes: GuardedRouter, services: LedgerServices, path: String) {
        routes.add(
            .post, path, access: .permission(.transactionsCreate), action: "transaction.batch", bodyLimit: TransactionBatchRequest.bodyLimit
        ) { request, context in
            let batch = try await BodyReader.decode(TransactionBatchRequest.self, from: request, limit: TransactionBatchRequest.bodyLimit)
            let detail: TransactionBatchAnswer.Detail
            switch request.uri.queryParameters["response"].map(String.init) {
            case nil, "full": detail = .full
            case "compact": detail = .compact
            default: throw StrongroomError.invalidQuery("response", "must be full or compact")
            }
            let ref = try LedgerHTTP.ledger(context)
            let key = try services.gate.key(for: request, context: context, canonicalBody: SortedJSONWriter.write(batch, capacity: 1 << 20))
            return try await services.gate.run(key, requestID: context.requestID) { work in
                let outcomes = try await services.engine.run(
                    batch.transactions.map { .create($0, form: .json, ledger: ref) }, store: work.ledger
                )
                if batch.atomic, let refusal = TransactionBatchAnswer.refusal(outcomes) { throw refusal }
                work.emit(try outcomes.compactMap { outcome throws(EventEnvelopeError) -> EventEnvelope? in
                    guard case .success(let transaction) = outcome else { return nil }
                    return try LedgerEvents.created(transaction)
                })
                let answer = TransactionBatchAnswer(outcomes, detail: detail)
                try context.recordSuccess(
                    in: work, resource: "ledger:\(ref.ledgerID)",
                    summary: [
                        "items": .number(Int64(outcomes.count)), "created": .number(Int64(answer.created)),
                        "failed": .number(Int64(answer.failed)), "created_sha256": .text(TransactionBatchAnswer.createdDigest(outcomes)),
                    ]
                )
                let capacity = (detail == .compact ? 80 : 2048) * outcomes.count
                return StoredResponse(status: .ok, body: Data(SortedJSONWriter.write(answer, capacity: capacity)))
            }
        }
    }
}

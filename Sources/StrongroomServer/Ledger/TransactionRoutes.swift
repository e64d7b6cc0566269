import Audit
import Bookkeeping
import Foundation
import Hummingbird
import Identity
import LedgerCore
import Storage
import StrongroomEdge
import StrongroomKernel

/// Transactions (post, read, list, annotate, commit, cancel, revert) and operations (per
/// account, one, annotate). Every money movement goes through the posting engine.
enum TransactionRoutes {
    static func register(on routes: GuardedRouter, services: LedgerServices) {
        let ledger = OnboardingRoutes.ledger
        let transactions = "\(ledger)/transactions"
        let persistence = services.persistence
        let onboarding = services.onboarding

        func post<Body: TransactionRequest>(_ type: Body.Type, _ path: String) {
            routes.add(.post, "\(transactions)/\(path)", access: .permission(.transactionsCreate), action: "transaction.create") {
                request, context in
                let body = try await BodyReader.decode(Body.self, from: request, limit: services.bodyLimit).body
                let ref = try LedgerHTTP.ledger(context)
                let key = try services.gate.key(for: request, context: context, canonicalBody: SortedJSONWriter.write(body))
                return try await services.post(.create(body, form: Body.form, ledger: ref), key: key, context)
            }
        }
        post(JSONTransactionRequest.self, "json")
        post(InflowRequest.self, "inflow")
        post(OutflowRequest.self, "outflow")
        registerBatch(on: routes, services: services, path: "\(transactions)/batch")

        func lifecycle(_ path: String, _ command: @escaping @Sendable (String, LedgerRef) -> PostingCommand) {
            routes.add(
                .post, "\(transactions)/{transaction_id}/\(path)", access: .permission(.transactionsWrite), action: "transaction.\(path)"
            ) { request, context in
                let id = try LedgerHTTP.id(context, "transaction_id", "The transaction")
                let ref = try LedgerHTTP.ledger(context)
                try await NoFields.check(request, limit: services.bodyLimit)
                // No body and `{}` are one request: the key's digest is of nothing.
                let key = try services.gate.key(for: request, context: context, canonicalBody: [])
                return try await services.post(command(id, ref), key: key, context)
            }
        }
        lifecycle("commit") { .commit(transactionID: $0, ledger: $1) }
        lifecycle("cancel") { .cancel(transactionID: $0, ledger: $1, reason: .requested) }
        lifecycle("revert") { .revert(transactionID: $0, ledger: $1) }

        routes.add(.get, transactions, access: .permission(.transactionsRead)) { request, context in
            let query = try LedgerHTTP.cursorQuery(request)
            let ref = try LedgerHTTP.ledger(context)
            _ = try await onboarding.ledger(ref, store: persistence.ledger)
            let page = try await persistence.ledger.transactions(in: ref, query: query)
            return JSONResponse.make(LedgerHTTP.CursorAnswer(page, limit: query.limit))
        }

        let item = "\(transactions)/{transaction_id}"
        routes.add(.get, item, access: .permission(.transactionsRead)) { _, context in
            let id = try LedgerHTTP.id(context, "transaction_id", "The transaction")
            guard let transaction = try await persistence.ledger.transaction(id: id, in: try LedgerHTTP.ledger(context)) else {
                throw StrongroomError.notFound("The transaction")
            }
            return JSONResponse.make(transaction)
        }
        routes.add(.patch, item, access: .permission(.transactionsWrite), action: "transaction.update") { request, context in
            let id = try LedgerHTTP.id(context, "transaction_id", "The transaction")
            let (changes, fields) = try await BodyReader.decodeNamingFields(AnnotationChanges.self, from: request, limit: services.bodyLimit)
            let ref = try LedgerHTTP.ledger(context)
            let transaction = try await persistence.write { work in
                let transaction = try await onboarding.annotateTransaction(id, in: ref, changes, store: work.ledger)
                try context.recordSuccess(in: work, resource: "transaction:\(id)", summary: ["fields": .list(fields)])
                return transaction
            }
            return JSONResponse.make(transaction)
        }

        routes.add(.patch, "\(item)/operations/{operation_id}", access: .permission(.operationsWrite), action: "operation.update") {
            request, context in
            let transactionID = try LedgerHTTP.id(context, "transaction_id", "The transaction")
            let id = try LedgerHTTP.id(context, "operation_id", "The operation")
            let (changes, fields) = try await BodyReader.decodeNamingFields(AnnotationChanges.self, from: request, limit: services.bodyLimit)
            let ref = try LedgerHTTP.ledger(context)
            let operation = try await persistence.write { work in
                let operation = try await onboarding.annotateOperation(id, transactionID: transactionID, in: ref, changes, store: work.ledger)
                try context.recordSuccess(in: work, resource: "operation:\(id)", summary: ["fields": .list(fields)])
                return operation
            }
            return JSONResponse.make(operation)
        }

        let accountOperations = "\(ledger)/accounts/{account_id}/operations"
        routes.add(.get, accountOperations, access: .permission(.operationsRead)) { request, context in
            let query = try LedgerHTTP.cursorQuery(request)
            var type: MovementKind?
            if let text = request.uri.queryParameters["type"] {
                guard let kind = MovementKind(rawValue: String(text).uppercased()) else {
                    throw StrongroomError.invalidQuery("type", "must be DEBIT, CREDIT, ON_HOLD or RELEASE")
                }
                type = kind
            }
            let ref = try LedgerHTTP.ledger(context)
            let account = try await onboarding.entity(
                Account.self, id: try LedgerHTTP.id(context, "account_id", "The account"), in: ref, store: persistence.ledger
            )
            let page = try await persistence.ledger.operations(accountID: account.id, in: ref, type: type, query: query)
            return JSONResponse.make(LedgerHTTP.CursorAnswer(page, limit: query.limit))
        }
        routes.add(.get, "\(accountOperations)/{operation_id}", access: .permission(.operationsRead)) { _, context in
            let accountID = try LedgerHTTP.id(context, "account_id", "The account")
            let id = try LedgerHTTP.id(context, "operation_id", "The operation")
            guard let operation = try await persistence.ledger.operation(id: id, in: try LedgerHTTP.ledger(context)),
                operation.accountID == accountID
            else { throw StrongroomError.notFound("The operation") }
            return JSONResponse.make(operation)
        }
    }
}

/// The body commit, cancel and revert take: none, or an empty JSON object (Midaz's clients
/// send `{}`). Anything else is refused 400, as every body is, rather than ignored: a client
/// that sent fields believed they meant something.
private struct NoFields: StrictDecodable {
    static var shape: BodyShape { .object([:]) }

    init(from decoder: any Decoder) throws {}

    static func check(_ request: Request, limit: Int) async throws {
        let bytes = try await BodyReader.bytes(of: request, limit: limit)
        guard !bytes.allSatisfy(JSONTextCheck.isWhiteSpace) else { return }
        _ = try BodyReader.decode(Self.self, from: bytes)
    }
}

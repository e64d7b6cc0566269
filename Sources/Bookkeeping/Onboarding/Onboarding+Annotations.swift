import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    public func annotateTransaction(_ id: String, in ref: LedgerRef, _ changes: AnnotationChanges, store: any LedgerStore) async throws -> Transaction {
        try changes.validate()
        guard var transaction = try await store.transaction(id: id, in: ref) else { throw StrongroomError.notFound("The transaction") }
        if let value = changes.description { transaction.description = value }
        if let value = changes.metadata { transaction.metadata = value }
        transaction.updatedAt = clock.now()
        try await store.updateTransactionAnnotations(transaction)
        return transaction
    }

    public func annotateOperation(
        _ id: String, transactionID: String, in ref: LedgerRef, _ changes: AnnotationChanges, store: any LedgerStore
    ) async throws -> LedgerOperation {
        try changes.validate()
        guard var operation = try await store.operation(id: id, in: ref), operation.transactionID == transactionID else {
            throw StrongroomError.notFound("The operation")
        }
        if let value = changes.description { operation.description = value }
        if let value = changes.metadata { operation.metadata = value }
        operation.updatedAt = clock.now()
        try await store.updateOperationAnnotations(operation)
        return operation
    }
}

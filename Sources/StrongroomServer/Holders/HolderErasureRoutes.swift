import Audit
import Bookkeeping
import Foundation
import Holders
import Hummingbird
import Identity
import Logging
import Storage
import StrongroomEdge
import StrongroomKernel

/// `POST /v1/holders/{id}/erase`: the right to erasure (issue 29, item 4; "Holders: personal
/// data sealed field by field" in docs/ARCHITECTURE.md). Under `holders:erase` (sensitive:
/// step-up), in the organization of `X-Organization-Id`.
///
/// The erasure is appended to the erasure record and fsynced first (`HolderErasureLog`),
/// then `HolderRecords.erase` destroys the holder's wrapped data key and sealed fields in a
/// unit of work with its audit record, which names the holder and organization only. Then
/// the write-ahead log is truncated, so no old copy of the key stays in SQLite's files.
///
/// 200 with `{"id", "erasedAt"}`. Erasing an erased holder answers the same, with the first
/// erasure's time, and does nothing more: no second line, no second audit success (the
/// guard records the request as one that changed nothing). A holder of another organization
/// is 404, as an unknown id is. A record that cannot be written is 503 (SR-4020) and erases
/// nothing.
enum HolderErasureRoutes {
    static let path = "/v1/holders/{id}/erase"
    static let action = "holder.erase"

    /// The answer: which holder, and when it was erased.
    struct Erased: Encodable {
        let id: String
        let erasedAt: Timestamp
    }

    static func register(on router: GuardedRouter, prepared: ServerApp.Prepared) {
        let (persistence, erasures, executor, clock) = (prepared.persistence, prepared.erasures, prepared.executor, prepared.clock)
        router.add(.post, path, access: .permission(.holdersErase), action: action, organizationInHeader: true) { _, context in
            guard let organizationID = context.headerOrganizationID else { throw StrongroomError.notFound("The holder") }
            let id = try LedgerHTTP.id(context, "id", "The holder")
            guard let current = try await persistence.holders.find(id: id, organizationID: organizationID, includeDeleted: true) else {
                throw StrongroomError.notFound("The holder")
            }
            if let erasedAt = current.erasedAt {
                context.audit?.changedNothing()
                return try JSONResponse.make(Erased(id: id, erasedAt: erasedAt))
            }
            let now = clock.now()
            guard let entry = HolderErasureEntry(organizationID: organizationID, holderID: id, erasedAt: now) else {
                throw StrongroomError.notFound("The holder")
            }
            // Recorded before the commit: an acknowledged erasure is never missing from the
            // record; a commit that then fails leaves a line that erases early at the next
            // start, the direction the holder asked for.
            try await executor.run { try erasures.append(entry) }
            let erasedAt = try await persistence.write { work -> Timestamp in
                if try await work.holders.erase(id: id, organizationID: organizationID, at: now) {
                    try context.recordSuccess(in: work, resource: resource(id), summary: ["organization_id": .text(organizationID)])
                    return now
                }
                // Erased meanwhile by another request: answer its erasure.
                guard let raced = try await work.holders.find(id: id, organizationID: organizationID, includeDeleted: true)?.erasedAt else {
                    throw StrongroomError.notFound("The holder")
                }
                context.audit?.changedNothing()
                return raced
            }
            // Committed: a failure here loses nothing the holder asked for, so it is logged, not answered.
            if (try? await persistence.database.discardDeletedResidue()) != true {
                context.logger.warning(
                    "the write-ahead log could not be truncated after an erasure; old copies of pages stay in it until the next erasure truncates it or the server stops and removes it"
                )
            }
            return try JSONResponse.make(Erased(id: id, erasedAt: erasedAt))
        }
    }

    /// How the audit trail names a holder.
    static func resource(_ id: String) -> String { "holder:\(id)" }
}

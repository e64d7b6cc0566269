import Audit

/// How holders appear in the audit trail: their actions, their resources, and the
/// `organization_id` every holder record's summary names, by which
/// `GET /v1/organizations/{organization_id}/protection/audit` finds an organization's records
/// (`AuditQuery.organizationID`).
///
/// - One holder: `holder:<holder_id>` (as the erasure route names it too).
/// - An unmasked list page, which reads many: `holders:<organization_id>`, the holders' ids
///   in the summary's `holders`.
///
/// A summary holds ids, field names and a reader's stated reason; never a value.
enum HolderAudit {
    static let create = "holder.create"
    static let update = "holder.update"
    static let delete = "holder.delete"
    /// An unmasked read: who, whose data (`holders`), which fields (`fields`), and `reason`.
    static let readPII = "holder.read_pii"
    /// An erasure (crypto-shredding), recorded by the erasure route.
    static let erase = "holder.erase"
    /// What the protection audit lists: unmasked reads, erasures, and erasures done again on
    /// a database restored from before them (`HolderErasureReplay.action`).
    static let protectionActions = [readPII, erase, HolderErasureReplay.action]

    static func resource(holderID: String) -> String { "holder:\(holderID)" }

    static func listResource(organizationID: String) -> String { "holders:\(organizationID)" }

    /// A summary naming the organization, with `more` beside it.
    static func summary(organizationID: String, _ more: AuditSummary = [:]) -> AuditSummary {
        var summary = more
        summary["organization_id"] = .text(organizationID)
        return summary
    }

    /// The record of an unmasked read, written before the values leave the server.
    static func unmaskedRead(
        organizationID: String, resource: String, holderIDs: [String], fields: [String], reason: String, actor: AuditActor,
        requestID: String
    ) -> AuditEvent {
        AuditEvent(
            action: readPII, resource: resource, outcome: .success, actor: actor, requestID: requestID,
            summary: summary(organizationID: organizationID, ["holders": .list(holderIDs), "fields": .list(fields), "reason": .text(reason)])
        )
    }
}

import Identity
import StrongroomEdge

/// What the server declares of each route besides its shape: the access it demands and, for
/// a route that changes state, the audit action it performs. The edge's route table carries
/// it without looking into it; the guard, the matrix test and the audit coverage test read it.
struct RouteDeclaration: Sendable, Hashable {
    let access: AccessRequirement
    /// The audit action of a state-changing route (`transaction.create`); nil for reads.
    let action: String?
    /// The route names its organization in Midaz's `X-Organization-Id` header rather than in
    /// its path (the holders' routes): the guard requires the header and checks the caller's
    /// scope against it exactly as against a path's `{organization_id}`.
    var organizationInHeader = false
}

/// The server's routes, each with its declaration.
typealias DeclaredRoutes = RouteTable<RouteDeclaration>

extension RouteTable.Route where Declaration == RouteDeclaration {
    var access: AccessRequirement { declaration.access }
    var action: String? { declaration.action }
}

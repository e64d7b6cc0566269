import Hummingbird
import Identity

extension AppRequestContext {
    /// What the request touches, as its path (or, on the routes that declare it, its
    /// `X-Organization-Id` header) names it: the organization and ledger ids the access
    /// decision compares with the caller's scopes.
    var accessTarget: AccessTarget {
        AccessTarget(organizationID: parameters.get("organization_id") ?? headerOrganizationID, ledgerID: parameters.get("ledger_id"))
    }

    /// For ids a request names outside its path (in its body): 403 unless the caller's
    /// grants reach that target too.
    func requirePermission(_ permission: Permission, on target: AccessTarget) throws {
        guard let principal, principal.grants.allows(permission, on: target) else { throw AccessPolicy.outOfScope(permission) }
    }
}

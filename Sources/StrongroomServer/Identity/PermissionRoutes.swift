import Hummingbird
import Identity
import StrongroomEdge

/// The permission catalogue.
enum PermissionRoutes {
    struct Entry: Encodable {
        let name: String
        let description: String
        let sensitive: Bool
    }

    static func register(on routes: GuardedRouter) {
        routes.add(.get, "/v1/permissions", access: .permission(.usersRead)) { _, _ in
            try JSONResponse.make([
                "items": PermissionCatalogue.entries.map { Entry(name: $0.permission.rawValue, description: $0.summary, sensitive: $0.sensitive) }
            ])
        }
    }
}

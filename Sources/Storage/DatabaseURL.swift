import Foundation
import StrongroomKernel

/// Where the data lives: `sqlite:///abs/path.db` or `postgres://user:pass@host:port/db`.
/// Printing one never shows the password.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    public struct PostgresTarget: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: SecretValue?
        public var database: String
        /// `sslmode=require` (or `verify-full`) asks for TLS to the database.
        public var requireTLS: Bool
    }

    public init(parsing text: String) throws(StorageError) {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw .configuration("a SQLite database URL is sqlite:///absolute/path.db")
            }
            self = .sqlite(path: path.removingPercentEncoding ?? path)
            return
        }
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql",
            let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty
        else {
            throw .configuration(
                "a database URL is sqlite:///absolute/path.db or postgres://user:password@host:port/database"
            )
        }
        let database = String(c.path.drop(while: { $0 == "/" }))
        let sslmode = c.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        guard ["disable", "prefer", "require", "verify-full"].contains(sslmode) else {
            throw .configuration("sslmode must be disable, require or verify-full")
        }
        self = .postgres(PostgresTarget(
            host: host, port: c.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: c.password.map { SecretValue($0.removingPercentEncoding ?? $0) },
            database: database.isEmpty ? (user.removingPercentEncoding ?? user) : database,
            requireTLS: sslmode == "require" || sslmode == "verify-full"
        ))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let t): "postgres://\(t.username)\(t.password == nil ? "" : ":<redacted>")@\(t.host):\(t.port)/\(t.database)"
        }
    }

    /// The role name, for granting a service role its rights.
    public var roleName: String? {
        if case .postgres(let t) = self { t.username } else { nil }
    }

    /// The PostgreSQL role the owner must grant rights to when the service connects as
    /// this URL: nil on SQLite, or when service and owner are the same role.
    public func serviceRole(ownedBy owner: DatabaseURL) -> String? {
        roleName.flatMap { $0 == owner.roleName ? nil : $0 }
    }

    /// The secret embedded in the URL, for the production check against known defaults.
    public var password: SecretValue? {
        if case .postgres(let t) = self { t.password } else { nil }
    }
}

/// Names the documents use that are not the repository's to define, each with why it is
/// there. `DocumentedNamesTests` skips them, and fails on an entry no document needs any more,
/// so the list stays short. Add a name here only when it truly belongs to something outside
/// (a library, a tool, a protocol); a wrong name of ours is fixed in the document instead.
enum OutsideNames {
    static let reasons: [String: String] = [
        // Swift and Foundation
        "Swift": "the standard library's module, named in the fence rules",
        "Int128": "the standard library's integer type that amounts are held in",
        "Double": "the standard library's floating-point type money never becomes",
        "JSONEncoder": "Foundation's encoder, which SortedJSONWriter matches byte for byte",
        "Process": "Foundation's process type, which the tests do not use (swift-corelibs-foundation#5472)",
        // Libraries
        "PostgresClient": "postgres-nio's connection pool client",
        "ConnectionPoolError": "postgres-nio's pool error, mapped to 503",
        "MetricsSystem": "swift-metrics' process-wide factory, never bootstrapped here",
        // HTTP
        "Allow": "the HTTP header a 405 carries (RFC 9110)",
        "Forwarded": "the HTTP header of RFC 7239, which the server does not read",
        // History
        // Not tables
        "ledger_id": "a column and path parameter, whose first word is also a table prefix",
    ]
}

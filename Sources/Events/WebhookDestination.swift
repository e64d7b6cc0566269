/// A webhook URL that `DestinationPolicy` accepted, in the parts a delivery connects with.
public struct WebhookDestination: Hashable, Sendable {
    /// `https`, or `http` in development.
    public let scheme: String
    /// The DNS name in lower case without a final dot, or the address when the URL names one
    /// (canonical text, an IPv6 one without its brackets): what to resolve and connect to, and
    /// to send as `Host` and check the certificate against.
    public let host: String
    /// The host as an address when the URL names one, checked already; nil for a DNS name,
    /// whose every resolved address the connection must check.
    public let address: IPAddress?
    /// The port written, or 443 for `https` and 80 for `http`.
    public let port: Int
    /// The path and query to request (`/` when the URL has none); the fragment is dropped,
    /// since it never goes to a server.
    public let target: String

    public init(scheme: String, host: String, address: IPAddress?, port: Int, target: String) {
        self.scheme = scheme
        self.host = host
        self.address = address
        self.port = port
        self.target = target
    }
}

/// Why `DestinationPolicy` refused a webhook's URL or the address a delivery connected to.
/// Each reason is its own case, so the deliveries route can say which rule a subscription
/// broke and tests compare reasons, not messages.
public enum DestinationRefusal: Error, Hashable, Sendable {
    // The URL, checked when a subscription is created or changed and before each connection.
    /// Not one absolute URL this policy reads: over `DestinationPolicy.maxURLBytes`, a byte
    /// outside printable ASCII (spaces, controls, non-ASCII: a host in another script is sent
    /// in its `xn--` form), a backslash, or no `://` after the scheme.
    case malformedURL
    /// A scheme other than `https` and `http`.
    case unsupportedScheme
    /// `http` in production: a delivery's body and signature would cross the network in clear.
    case httpsRequired
    /// A user name or password before the host (`https://user:pass@host/`): a credential in a
    /// URL ends up in logs, and an `@` hides the real host from a reader.
    case userInfo
    /// Nothing between `//` and the path.
    case noHost
    /// A host that is neither a DNS name (letters, digits and hyphens in labels of at most 63
    /// bytes, 253 in all) nor an IP address in brackets or dotted decimal.
    case invalidHost
    /// A host written as a number in a form other than dotted decimal (`2130706433`,
    /// `127.1`, `0x7f.0.0.1`): HTTP clients read these as addresses, and this policy refuses
    /// to guess the same one.
    case numericHost
    /// A port that is not 1 to 65535 in decimal.
    case portOutOfRange

    // The address, checked on the address each connection actually reached (after DNS), and
    // on an address written in the URL itself.
    /// 127.0.0.0/8 or ::1; allowed in development.
    case loopback
    /// 169.254.0.0/16 or fe80::/10.
    case linkLocal
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 or the deprecated site-local fec0::/10.
    case privateNetwork
    /// 0.0.0.0/8 ("this network", which Linux connects to this host) or ::.
    case unspecified
    /// 224.0.0.0/4 or ff00::/8.
    case multicast
    /// 255.255.255.255.
    case broadcast
    /// 100.64.0.0/10, the shared space behind carrier-grade NAT.
    case carrierGradeNAT
    /// 240.0.0.0/4 except the broadcast address: reserved, never a public host.
    case reserved
}

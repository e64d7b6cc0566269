/// Where a webhook may be delivered: the URL a subscription names, and the address each
/// delivery's connection actually reached.
///
/// Two checks, because a name is not an address. `destination(for:)` reads the URL when the
/// subscription is created and before each connection: `https` (or `http` in development),
/// no user name or password, a host, a port in range, and, when the host is an address, that
/// address's check too. `checkConnection(to:)` judges the address the socket connected to,
/// after DNS, so a name that resolves to a public address when the subscription is made and
/// to 127.0.0.1 when a delivery goes (DNS rebinding) is still refused: loopback, link-local,
/// private, unspecified, multicast, broadcast, carrier-grade NAT and reserved addresses are
/// refused, each with its own `DestinationRefusal`, unless an allowlist block holds the
/// address; development allows loopback so tests can deliver to a receiver on this host.
/// An IPv6 address that carries an IPv4 one (`IPAddress.embeddedIPv4`: `::ffff:127.0.0.1`)
/// is judged as the IPv4 address it reaches.
///
/// Pure: the delivery worker passes the URL and the connected address and acts on the answer.
/// The URL is read by this policy's own rules, stricter than a browser's; the worker connects
/// to the `WebhookDestination` it answers, never to the URL text read again by another parser.
public struct DestinationPolicy: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        /// Only `https`, and no loopback address unless allowlisted.
        case production
        /// `http` allowed and loopback addresses allowed, for tests and local receivers.
        case development
    }

    /// The longest webhook URL accepted, in bytes.
    public static let maxURLBytes = 2_048
    /// The longest DNS name (RFC 1035), and its longest label, in bytes.
    public static let maxHostBytes = 253
    public static let maxLabelBytes = 63

    /// The ranges refused, in the order they are tried (the broadcast address before the
    /// reserved block that holds it). IPv4 ranges apply to IPv4-mapped, IPv4-compatible and
    /// NAT64 addresses too.
    public static let restrictedBlocks: [(block: AddressBlock, refusal: DestinationRefusal)] = [
        ("0.0.0.0/8", .unspecified),
        ("10.0.0.0/8", .privateNetwork),
        ("100.64.0.0/10", .carrierGradeNAT),
        ("127.0.0.0/8", .loopback),
        ("169.254.0.0/16", .linkLocal),
        ("172.16.0.0/12", .privateNetwork),
        ("192.168.0.0/16", .privateNetwork),
        ("224.0.0.0/4", .multicast),
        ("255.255.255.255/32", .broadcast),
        ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified),
        ("::1/128", .loopback),
        ("fe80::/10", .linkLocal),
        ("fec0::/10", .privateNetwork),
        ("fc00::/7", .privateNetwork),
        ("ff00::/8", .multicast),
    ].compactMap { text, refusal in AddressBlock(text).map { ($0, refusal) } }

    public let mode: Mode
    /// Blocks whose addresses are allowed whatever range they are in (a receiver on the
    /// operator's own private network).
    public let allowlist: [AddressBlock]

    public init(mode: Mode, allowlist: [AddressBlock] = []) {
        self.mode = mode
        self.allowlist = allowlist
    }

    /// The range `address` is refused for, whatever the mode and allowlist; nil for an
    /// address anyone may reach.
    public static func restrictedRange(of address: IPAddress) -> DestinationRefusal? {
        let judged = address.embeddedIPv4.map(IPAddress.v4) ?? address
        return restrictedBlocks.first { $0.block.contains(judged) }?.refusal
    }

    /// Throws unless a delivery may use a connection to `address`.
    public func checkConnection(to address: IPAddress) throws(DestinationRefusal) {
        let embedded = address.embeddedIPv4.map(IPAddress.v4)
        for block in allowlist where block.contains(address) || embedded.map(block.contains) == true {
            return
        }
        guard let refusal = Self.restrictedRange(of: address) else { return }
        if refusal == .loopback, mode == .development { return }
        throw refusal
    }

    /// The parts of `url` a delivery connects with; throws the first rule it breaks.
    public func destination(for url: String) throws(DestinationRefusal) -> WebhookDestination {
        let bytes = Array(url.utf8)
        // Printable ASCII only; a backslash is a slash to some parsers and not to others.
        guard !bytes.isEmpty, bytes.count <= Self.maxURLBytes,
            bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") })
        else { throw .malformedURL }
        guard let separator = Self.find(Array("://".utf8), in: bytes[...]) else { throw .malformedURL }

        let scheme = String(decoding: bytes[..<separator], as: UTF8.self).lowercased()
        switch scheme {
        case "https": break
        case "http": guard mode == .development else { throw .httpsRequired }
        default: throw .unsupportedScheme
        }

        let afterScheme = bytes[(separator + 3)...]
        let authorityEnd = afterScheme.firstIndex { [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains($0) }
            ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else { throw .userInfo }

        let (host, address, portText) = try Self.splitAuthority(authority)
        var port = scheme == "https" ? 443 : 80
        if let portText {
            guard (1...5).contains(portText.count), portText.allSatisfy(Self.isDigit),
                let value = Int(String(decoding: portText, as: UTF8.self)), (1...65_535).contains(value)
            else { throw .portOutOfRange }
            port = value
        }
        if let address { try checkConnection(to: address) }

        var target = afterScheme[authorityEnd...]
        if let fragment = target.firstIndex(of: UInt8(ascii: "#")) { target = target[..<fragment] }
        let path = String(decoding: target, as: UTF8.self)
        return WebhookDestination(
            scheme: scheme, host: host, address: address, port: port, target: path.hasPrefix("/") ? path : "/" + path
        )
    }

    /// The host (lower case), its address if it is one, and the port's digits if written.
    private static func splitAuthority(_ authority: ArraySlice<UInt8>) throws(DestinationRefusal)
        -> (host: String, address: IPAddress?, port: ArraySlice<UInt8>?)
    {
        guard !authority.isEmpty else { throw .noHost }
        var hostPart = authority
        var port: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            // An IPv6 address in brackets, then nothing or `:port`.
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw .invalidHost }
            hostPart = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if let colon = rest.first {
                guard colon == UInt8(ascii: ":") else { throw .invalidHost }
                port = rest.dropFirst()
            }
            guard case .v6? = IPAddress(String(decoding: hostPart, as: UTF8.self)) else { throw .invalidHost }
        } else {
            let colons = authority.indices.filter { authority[$0] == UInt8(ascii: ":") }
            guard colons.count <= 1 else { throw .invalidHost }
            if let colon = colons.first {
                hostPart = authority[..<colon]
                port = authority[(colon + 1)...]
            }
        }
        guard !hostPart.isEmpty else { throw .noHost }
        let text = String(decoding: hostPart, as: UTF8.self).lowercased()
        if let address = IPAddress(text) { return (address.description, address, port) }
        guard authority.first != UInt8(ascii: "[") else { throw .invalidHost }
        return (try dnsName(text), nil, port)
    }

    /// `text` as a DNS name without its final dot, if it is one.
    private static func dnsName(_ text: String) throws(DestinationRefusal) -> String {
        var name = Array(text.utf8)
        if name.last == UInt8(ascii: ".") { name.removeLast() }
        guard !name.isEmpty, name.count <= maxHostBytes else { throw .invalidHost }
        let labels = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        // A last label of digits, or of `0x` and hex, makes an HTTP client read the whole
        // host as an IPv4 address in one of inet_aton's forms; no top-level domain is one.
        if let last = labels.last, last.allSatisfy(isDigit) || (last.starts(with: Array("0x".utf8)) && last.dropFirst(2).allSatisfy(isHexDigit)) {
            throw .numericHost
        }
        for label in labels {
            guard (1...maxLabelBytes).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "-") })
            else { throw .invalidHost }
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return haystack.indices.dropLast(needle.count - 1).first { haystack[$0...].starts(with: needle) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}

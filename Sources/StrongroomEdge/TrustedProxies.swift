import Foundation

/// The proxies in front of the server whose `X-Forwarded-For` is believed, so that the login
/// throttle and the audit trail see each client's address rather than the proxy's.
///
/// Only a request whose TCP peer is a trusted proxy has the header read, and then from the
/// right: each hop a trusted proxy appended is skipped, and the first address no trusted
/// proxy owns is the client. What a client wrote into the header itself sits to the left of
/// that and is never reached, so nobody can choose the address they are counted under. An
/// entry that is not an IP address stops the walk at the last address that was one.
public struct TrustedProxies: Sendable, Equatable {
    /// A network: the address with its host bits zero, and how many leading bits count.
    public struct Network: Sendable, Equatable {
        let address: IPAddress
        let prefixLength: Int

        func contains(_ candidate: IPAddress) -> Bool {
            guard candidate.bytes.count == address.bytes.count else { return false }
            var remaining = prefixLength
            for (a, b) in zip(address.bytes, candidate.bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                guard a & mask == b & mask else { return false }
                remaining -= bits
            }
            return true
        }
    }

    public let networks: [Network]

    public static let none = TrustedProxies(networks: [])

    public var isEmpty: Bool { networks.isEmpty }

    /// Parses `10.0.0.0/8, 192.0.2.7, 2001:db8::/32`: addresses and CIDR networks, the host
    /// bits of a network zero.
    public init(parsing text: String) throws(ConfigurationError) {
        var networks: [Network] = []
        for item in text.split(separator: ",") {
            let entry = item.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(parts[0]) else {
                throw ConfigurationError("trustedProxies: \(entry) is not an IP address or network")
            }
            let width = address.bytes.count * 8
            var prefix = width
            if parts.count == 2 {
                guard let given = Int(parts[1]), (0...width).contains(given) else {
                    throw ConfigurationError("trustedProxies: \(entry) has no valid prefix length")
                }
                prefix = given
            }
            let network = Network(address: address, prefixLength: prefix)
            guard Self.hostBitsZero(network) else { throw ConfigurationError("trustedProxies: \(entry) has host bits set") }
            networks.append(network)
        }
        self.networks = networks
    }

    public init(networks: [Network]) { self.networks = networks }

    private static func hostBitsZero(_ network: Network) -> Bool {
        var remaining = network.prefixLength
        for byte in network.address.bytes {
            let hostMask = UInt8(truncatingIfNeeded: 0xFF >> min(8, max(0, remaining)))
            guard byte & hostMask == 0 else { return false }
            remaining -= 8
        }
        return true
    }

    public func contains(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// The client's address for a request from `peer` carrying these `X-Forwarded-For`
    /// values (several header lines read as one list, in order).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, let peerAddress = IPAddress(peer), contains(peerAddress) else { return peer }
        var client = peerAddress
        for hop in forwardedFor.flatMap({ $0.split(separator: ",") }).reversed() {
            guard let address = IPAddress(hop.trimmingCharacters(in: .whitespaces)) else { break }
            client = address
            guard contains(address) else { break }
        }
        return client.description
    }
}

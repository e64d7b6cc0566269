/// An IPv4 or IPv6 address as a number: what a webhook's host resolved to, or what a socket
/// actually connected to, for `DestinationPolicy` to judge. Equal addresses are equal values
/// however they were spelled (`::1`, `0:0:0:0:0:0:0:1`, `0000::0001`).
///
/// `IPAddress+Parsing.swift` reads the textual forms; `description` writes the canonical one.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bits in network order: `10.1.2.3` is `0x0A01_0203`.
    case v4(UInt32)
    /// The 128 bits in network order: `fe80::1` is `0xFE80 << 112 | 1`.
    case v6(UInt128)

    /// The address a socket reports as bytes in network order: 4 for IPv4, 16 for IPv6, nil
    /// for any other count.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4: self = .v4(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32(truncatingIfNeeded: $1) })
        case 16: self = .v6(bytes.reduce(UInt128(0)) { $0 << 8 | UInt128(truncatingIfNeeded: $1) })
        default: return nil
        }
    }

    /// The IPv4 address an IPv6 address carries in its last 32 bits, for the three forms
    /// through which a connection may reach an IPv4 host: IPv4-mapped (`::ffff:0:0/96`, what
    /// a dual-stack socket reports for an IPv4 peer), the deprecated IPv4-compatible
    /// (`::/96`, except `::` and `::1`, which are IPv6's own) and the NAT64 well-known prefix
    /// (`64:ff9b::/96`, which a translator forwards to the IPv4 address inside). Nil for an
    /// IPv4 address and every other IPv6 one.
    public var embeddedIPv4: UInt32? {
        guard case .v6(let bits) = self else { return nil }
        let prefix = bits >> 32
        let low = UInt32(truncatingIfNeeded: bits)
        switch prefix {
        case 0x0000_FFFF, 0x0064_FF9B << 64: return low
        case 0: return bits > 1 ? low : nil
        default: return nil
        }
    }

    /// IPv4 in dotted decimal (`10.1.2.3`); IPv6 as RFC 5952 writes it: lower-case hex
    /// without leading zeros, the longest run of two or more zero groups (the first, if two
    /// are as long) as `::`, and an IPv4-mapped address with its IPv4 part dotted
    /// (`::ffff:127.0.0.1`).
    public var description: String {
        switch self {
        case .v4(let bits):
            return Self.dotted(bits)
        case .v6(let bits):
            if bits >> 32 == 0x0000_FFFF { return "::ffff:" + Self.dotted(UInt32(truncatingIfNeeded: bits)) }
            let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> (112 - 16 * $0)) }
            // The longest run of zero groups, two or more long; the first of equal runs.
            var best: Range<Int>?
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index >= 2, end - index > (best?.count ?? 0) { best = index..<end }
                index = end
            }
            func hex(_ range: Range<Int>) -> String {
                groups[range].map { String($0, radix: 16) }.joined(separator: ":")
            }
            guard let best else { return hex(0..<8) }
            return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<8)
        }
    }

    private static func dotted(_ bits: UInt32) -> String {
        [24, 16, 8, 0].map { String(UInt8(truncatingIfNeeded: bits >> $0)) }.joined(separator: ".")
    }
}

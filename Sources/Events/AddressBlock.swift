/// A block of addresses in CIDR notation (`10.0.0.0/8`, `fd00::/8`): an entry of a webhook
/// destination allowlist, and each of the ranges `DestinationPolicy` refuses.
public struct AddressBlock: Hashable, Sendable, CustomStringConvertible {
    /// The block's first address: its host bits are all zero.
    public let network: IPAddress
    /// How many leading bits every address of the block shares: 0 to 32 for IPv4, 0 to 128
    /// for IPv6.
    public let prefixLength: Int

    /// The block `text` names: an address, `/` and a prefix length in decimal, or an address
    /// alone for a block of that one address. Nil when the address does not parse, the length
    /// is out of range or written with a leading zero, or the address has host bits set
    /// (`10.0.0.1/8` is a typo for something, and guessing which would widen an allowlist).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let width = address.bitWidth
        var length = width
        if parts.count == 2 {
            let digits = parts[1].utf8
            guard (1...3).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                digits.count == 1 || digits.first != UInt8(ascii: "0"), let parsed = Int(parts[1]), (0...width).contains(parsed)
            else { return nil }
            length = parsed
        }
        self.init(network: address, prefixLength: length)
    }

    /// Nil when `prefixLength` is out of range for the address's family or `network` has a
    /// bit set past it.
    public init?(network: IPAddress, prefixLength: Int) {
        guard (0...network.bitWidth).contains(prefixLength) else { return nil }
        self.network = network
        self.prefixLength = prefixLength
        guard network.bits & ~Self.mask(prefixLength, width: network.bitWidth) == 0 else { return nil }
    }

    /// Whether `address` is in the block. An IPv4 block holds only IPv4 addresses and an IPv6
    /// block only IPv6 ones: `DestinationPolicy` looks inside an IPv4-mapped address itself.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bitWidth == network.bitWidth else { return false }
        let mask = Self.mask(prefixLength, width: network.bitWidth)
        return address.bits & mask == network.bits & mask
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// The top `length` of `width` bits set, as a 128-bit number (an IPv4 mask in the low 32).
    private static func mask(_ length: Int, width: Int) -> UInt128 {
        guard length > 0 else { return 0 }
        let all: UInt128 = width == 32 ? 0xFFFF_FFFF : .max
        return all & ~(all >> length)
    }
}

extension IPAddress {
    /// 32 or 128.
    var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    /// The address as a number, IPv4 in the low 32 bits.
    var bits: UInt128 {
        switch self {
        case .v4(let bits): UInt128(truncatingIfNeeded: bits)
        case .v6(let bits): bits
        }
    }
}

// Reading an address from text: the forms a resolver, a socket's peer or a URL's host writes,
// and no others. Total over any input: a string that is not exactly one address gives nil,
// never a trap, however long or strange.
//
// IPv4 is four decimal parts of 0 to 255, each without leading zeros (`127.0.0.1`). The
// shorthand forms that `inet_aton` and browsers also read (`127.1`, `2130706433`,
// `0x7f.0.0.1`, `0177.0.0.1`, octal in a leading zero) are refused: a text this parser
// and an HTTP client would read as different addresses is how a check is slipped past.
//
// IPv6 is RFC 4291's text: eight groups of one to four hex digits in either case, at most
// one `::` standing for one or more zero groups, and optionally the last two groups written
// as an IPv4 address (`::ffff:127.0.0.1`). A zone (`fe80::1%eth0`) is refused: it names an
// interface of this host, never a webhook's.

extension IPAddress {
    /// The longest text either form can have (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`
    /// is 45 bytes); anything longer is refused before it is read.
    public static let maxTextBytes = 45

    /// The address `text` spells, or nil unless it is exactly one IPv4 or IPv6 address.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= Self.maxTextBytes else { return nil }
        if utf8.contains(UInt8(ascii: ":")) {
            guard let bits = Self.parseV6(utf8[...]) else { return nil }
            self = .v6(bits)
        } else {
            guard let bits = Self.parseV4(utf8[...]) else { return nil }
            self = .v4(bits)
        }
    }

    /// Dotted decimal: exactly four parts, each 0 to 255 with no leading zero.
    static func parseV4(_ text: ArraySlice<UInt8>) -> UInt32? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bits: UInt32 = 0
        for part in parts {
            // At most three digits, so the value is below 1,000 and nothing can overflow.
            guard (1...3).contains(part.count), part.allSatisfy(Self.isDecimalDigit) else { return nil }
            guard part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let value = part.reduce(UInt32(0)) { $0 * 10 + UInt32(truncatingIfNeeded: $1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            bits = bits << 8 | value
        }
        return bits
    }

    /// RFC 4291 text, `::` and an IPv4 tail included.
    static func parseV6(_ text: ArraySlice<UInt8>) -> UInt128? {
        // Split at the one `::`, if there is one: the groups before it, the groups after it,
        // and zeros between to make eight.
        var head = text
        var tail: ArraySlice<UInt8>?
        if let gap = Self.firstDoubleColon(in: text) {
            head = text[text.startIndex..<gap]
            let rest = text[(gap + 2)...]
            guard Self.firstDoubleColon(in: rest) == nil else { return nil }
            tail = rest
        }
        guard var before = Self.groups(head, mayEndInIPv4: tail == nil) else { return nil }
        var after: [UInt16] = []
        if let tail {
            guard let groups = Self.groups(tail, mayEndInIPv4: true) else { return nil }
            after = groups
            // `::` stands for at least one group.
            guard before.count + after.count <= 7 else { return nil }
            before += [UInt16](repeating: 0, count: 8 - before.count - after.count)
        }
        let all = before + after
        guard all.count == 8 else { return nil }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128(truncatingIfNeeded: $1) }
    }

    /// The groups of one side of a `::` (or of the whole text without one): colon-separated
    /// groups of one to four hex digits, the last of which may be an IPv4 address standing for
    /// two groups. An empty side has no groups.
    private static func groups(_ text: ArraySlice<UInt8>, mayEndInIPv4: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, mayEndInIPv4, part.contains(UInt8(ascii: ".")) {
                guard let v4 = Self.parseV4(part) else { return nil }
                groups += [UInt16(truncatingIfNeeded: v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                continue
            }
            // At most four hex digits, so the value fits 16 bits.
            guard (1...4).contains(part.count) else { return nil }
            var value: UInt16 = 0
            for byte in part {
                guard let digit = Self.hexValue(byte) else { return nil }
                value = value << 4 | UInt16(truncatingIfNeeded: digit)
            }
            groups.append(value)
        }
        return groups.count <= 8 ? groups : nil
    }

    private static func firstDoubleColon(in text: ArraySlice<UInt8>) -> Int? {
        var index = text.startIndex
        while index + 1 < text.endIndex {
            if text[index] == UInt8(ascii: ":"), text[index + 1] == UInt8(ascii: ":") { return index }
            index += 1
        }
        return nil
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

import Events
import PropertyBased
import StrongroomKernel
import Testing

/// Where webhooks may go: the URL's rules, and the connected address's ranges in every spelling.
@Suite("Destination policy")
struct DestinationPolicyTests {
    static let production = DestinationPolicy(mode: .production)
    static let development = DestinationPolicy(mode: .development)

    @Test("a URL is refused for the first rule it breaks", arguments: [
        ("", DestinationRefusal.malformedURL),
        ("https://exa mple.com/", .malformedURL),
        ("https://example.com/a\tb", .malformedURL),
        ("https://exämple.com/", .malformedURL),
        ("https://example.com\\@evil.com/", .malformedURL),
        ("https:example.com", .malformedURL),
        ("example.com/hook", .malformedURL),
        ("https://example.com/" + String(repeating: "a", count: DestinationPolicy.maxURLBytes), .malformedURL),
        ("ftp://example.com/", .unsupportedScheme),
        ("javascript:x://example.com/", .unsupportedScheme),
        ("http://example.com/hook", .httpsRequired),
        ("HTTP://example.com/hook", .httpsRequired),
        ("https://user:pass@example.com/", .userInfo),
        ("https://example.com@127.0.0.1/", .userInfo),
        ("https://@example.com/", .userInfo),
        ("https:///hook", .noHost),
        ("https://:443/hook", .noHost),
        ("https://", .noHost),
        ("https://[]/", .invalidHost),
        ("https://exa_mple.com/", .invalidHost),
        ("https://-example.com/", .invalidHost),
        ("https://example..com/", .invalidHost),
        ("https://%65xample.com/", .invalidHost),
        ("https://%31%32%37.0.0.1/", .numericHost),
        ("https://::1/", .invalidHost),
        ("https://[127.0.0.1]/", .invalidHost),
        ("https://[fe80::1%25eth0]/", .invalidHost),
        ("https://[::1/", .invalidHost),
        ("https://[2001:db8::1]x/", .invalidHost),
        ("https://" + String(repeating: "a", count: 64) + ".com/", .invalidHost),
        ("https://2130706433/", .numericHost),
        ("https://127.1/", .numericHost),
        ("https://0x7f.0.0.1/", .numericHost),
        ("https://0177.0.0.1/", .numericHost),
        ("https://1.2.3.4.5/", .numericHost),
        ("https://example.com:0/", .portOutOfRange),
        ("https://example.com:65536/", .portOutOfRange),
        ("https://example.com:/", .portOutOfRange),
        ("https://example.com:+443/", .portOutOfRange),
        ("https://example.com:443443/", .portOutOfRange),
        ("https://example.com:https/", .portOutOfRange),
        ("https://127.0.0.1/hook", .loopback),
        ("https://[::1]:8443/hook", .loopback),
        ("https://[::ffff:127.0.0.1]/hook", .loopback),
        ("https://10.0.0.5/hook", .privateNetwork),
        ("https://169.254.169.254/latest/meta-data", .linkLocal),
        ("https://0.0.0.0/", .unspecified),
    ])
    func refusedURLs(url: String, refusal: DestinationRefusal) {
        #expect(throws: refusal, "\(url)") { try Self.production.destination(for: url) }
    }

    @Test("an accepted URL answers the host, port and target a delivery connects with")
    func acceptedURLs() throws {
        let plain = try Self.production.destination(for: "https://Hooks.Example.COM/strongroom/in?x=1#part")
        #expect(plain == WebhookDestination(scheme: "https", host: "hooks.example.com", address: nil, port: 443, target: "/strongroom/in?x=1"))
        let ported = try Self.production.destination(for: "HTTPS://example.com.:8443")
        #expect(ported == WebhookDestination(scheme: "https", host: "example.com", address: nil, port: 8443, target: "/"))
        let query = try Self.production.destination(for: "https://example.com?a=b")
        #expect(query.target == "/?a=b")
        let v6 = try Self.production.destination(for: "https://[2001:DB8::0001]:65535/h")
        #expect(v6 == WebhookDestination(scheme: "https", host: "2001:db8::1", address: IPAddress("2001:db8::1"), port: 65_535, target: "/h"))
        let v4 = try Self.production.destination(for: "https://93.184.216.34/")
        #expect(v4.address == .v4(0x5DB8_D822))
        // Names with digits and hyphens are names, not numbers.
        _ = try Self.production.destination(for: "https://123.example-1.com/")
        _ = try Self.production.destination(for: "https://xn--bcher-kva.example/")
    }

    @Test("development allows http and loopback, and nothing else production refuses")
    func development() throws {
        #expect(try Self.development.destination(for: "http://127.0.0.1:9000/hook").port == 9_000)
        #expect(try Self.development.destination(for: "http://localhost/hook").port == 80)
        #expect(try Self.development.destination(for: "http://[::1]/hook").address == .v6(1))
        try Self.development.checkConnection(to: .v4(0x7F12_3456))
        try Self.development.checkConnection(to: .v6(0xFFFF_7F00_0001))
        #expect(throws: DestinationRefusal.privateNetwork) { try Self.development.checkConnection(to: .v4(0xC0A8_0101)) }
        #expect(throws: DestinationRefusal.unspecified) { try Self.development.checkConnection(to: .v4(0)) }
        #expect(throws: DestinationRefusal.userInfo) { try Self.development.destination(for: "http://a:b@localhost/") }
        #expect(throws: DestinationRefusal.unsupportedScheme) { try Self.development.destination(for: "file://localhost/etc/passwd") }
    }

    @Test("an allowlist block lets its addresses through, in any spelling, and nothing else")
    func allowlist() throws {
        let blocks = ["10.20.0.0/16", "fd00:1::/32", "127.0.0.1"].compactMap(AddressBlock.init)
        #expect(blocks.count == 3)
        let policy = DestinationPolicy(mode: .production, allowlist: blocks)
        try policy.checkConnection(to: .v4(0x0A14_0001))
        try policy.checkConnection(to: .v6(0xFFFF_0A14_FFFF))
        try policy.checkConnection(to: .v6(0xFD00_0001 << 96 | 7))
        try policy.checkConnection(to: .v4(0x7F00_0001))
        _ = try policy.destination(for: "https://10.20.3.4/hook")
        #expect(throws: DestinationRefusal.privateNetwork) { try policy.checkConnection(to: .v4(0x0A15_0001)) }
        #expect(throws: DestinationRefusal.loopback) { try policy.checkConnection(to: .v4(0x7F00_0002)) }
        #expect(throws: DestinationRefusal.privateNetwork) { try policy.checkConnection(to: .v6(0xFD00_0002 << 96)) }
        // An allowlist never makes the URL's own rules optional.
        #expect(throws: DestinationRefusal.httpsRequired) { try policy.destination(for: "http://10.20.3.4/hook") }
    }

    @Test("the refused ranges are the sixteen the policy documents")
    func table() {
        #expect(DestinationPolicy.restrictedBlocks.count == 16)
        #expect(Set(DestinationPolicy.restrictedBlocks.map(\.refusal)).count == 8)
    }

    // MARK: Every address of every refused range, in every spelling

    /// The ranges as the issue and the brief name them, written here apart from the code.
    static let v4Ranges: [(base: UInt32, length: Int, refusal: DestinationRefusal)] = [
        (0x0000_0000, 8, .unspecified), (0x0A00_0000, 8, .privateNetwork), (0x6440_0000, 10, .carrierGradeNAT),
        (0x7F00_0000, 8, .loopback), (0xA9FE_0000, 16, .linkLocal), (0xAC10_0000, 12, .privateNetwork),
        (0xC0A8_0000, 16, .privateNetwork), (0xE000_0000, 4, .multicast), (0xF000_0000, 4, .reserved),
        (0xFFFF_FFFF, 32, .broadcast),
    ]
    static let v6Ranges: [(base: UInt128, length: Int, refusal: DestinationRefusal)] = [
        (0, 128, .unspecified), (1, 128, .loopback), (0xFE80 << 112, 10, .linkLocal), (0xFEC0 << 112, 10, .privateNetwork),
        (0xFC00 << 112, 7, .privateNetwork), (0xFF00 << 112, 8, .multicast),
    ]

    /// What the policy must answer in production, worked out from the tables above.
    static func expected(_ address: IPAddress) -> DestinationRefusal? {
        switch address {
        case .v4(let bits):
            if bits == 0xFFFF_FFFF { return .broadcast }
            return v4Ranges.first { bits >> (32 - $0.length) == $0.base >> (32 - $0.length) }?.refusal
        case .v6(let bits):
            let prefix96 = bits >> 32
            if prefix96 == 0xFFFF || prefix96 == 0x0064_FF9B << 64 || (prefix96 == 0 && bits > 1) {
                return expected(.v4(UInt32(truncatingIfNeeded: bits)))
            }
            return v6Ranges.first { bits >> (128 - $0.length) == $0.base >> (128 - $0.length) }?.refusal
        }
    }

    /// A random address: in a refused range, IPv4 inside one of the IPv6 forms, or anywhere.
    static func address(using generator: inout SplitMix64) -> IPAddress {
        let low = UInt128(generator.next()), high = UInt128(generator.next())
        let random128 = high << 64 | low
        let random32 = UInt32(truncatingIfNeeded: generator.next())
        switch generator.next() % 6 {
        case 0:
            let range = v4Ranges[Int(generator.next() % UInt64(v4Ranges.count))]
            let host: UInt32 = range.length == 32 ? 0 : random32 & (UInt32.max >> range.length)
            return .v4(range.base | host)
        case 1:
            let range = v6Ranges[Int(generator.next() % UInt64(v6Ranges.count))]
            let host: UInt128 = range.length == 128 ? 0 : random128 & (UInt128.max >> range.length)
            return .v6(range.base | host)
        case 2:
            let inner = v4Ranges[Int(generator.next() % UInt64(v4Ranges.count))]
            let v4 = inner.length == 32 ? inner.base : inner.base | random32 & (UInt32.max >> inner.length)
            let prefixes: [UInt128] = [0xFFFF << 32, 0, 0x0064_FF9B << 96]
            return .v6(prefixes[Int(generator.next() % 3)] | UInt128(v4))
        case 3: return .v4(random32)
        default: return .v6(random128)
        }
    }

    /// One of the many ways to write `address`: leading zeros, either case, `::` in place of any
    /// run of zero groups (or none), and the last 32 bits as dotted decimal or hex.
    static func spelling(of address: IPAddress, using generator: inout SplitMix64) -> String {
        let bits: UInt128
        switch address {
        case .v4(let v4):
            // An IPv4 address is written as itself, or as IPv4-mapped IPv6.
            guard generator.next() % 3 == 0 else {
                return [24, 16, 8, 0].map { String(UInt8(truncatingIfNeeded: v4 >> $0)) }.joined(separator: ".")
            }
            bits = 0xFFFF << 32 | UInt128(v4)
        case .v6(let v6):
            bits = v6
        }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> (112 - 16 * $0)) }
        let dottedTail = generator.next() % 3 == 0
        var texts: [String] = groups.map { group in
            var hex = String(group, radix: 16, uppercase: generator.next() % 2 == 0)
            let width = Int(generator.next() % 4) + 1
            if hex.count < width { hex = String(repeating: "0", count: width - hex.count) + hex }
            return hex
        }
        var count = 8
        if dottedTail {
            let v4 = UInt32(truncatingIfNeeded: bits)
            texts = Array(texts.prefix(6)) + [[24, 16, 8, 0].map { String(UInt8(truncatingIfNeeded: v4 >> $0)) }.joined(separator: ".")]
            count = 6
        }
        // Every run of zero groups among the hex groups may become `::`.
        var runs: [Range<Int>] = []
        for start in 0..<count where groups[start] == 0 {
            for end in (start + 1)...count where groups[start..<end].allSatisfy({ $0 == 0 }) {
                runs.append(start..<end)
            }
        }
        guard !runs.isEmpty, generator.next() % 4 != 0 else { return texts.joined(separator: ":") }
        let run = runs[Int(generator.next() % UInt64(runs.count))]
        let before = texts[..<run.lowerBound].joined(separator: ":")
        let after = texts[run.upperBound...].joined(separator: ":")
        return before + "::" + after
    }

    /// The refusal `body` throws, or nil when it passes.
    static func refusal(_ body: () throws(DestinationRefusal) -> Void) -> DestinationRefusal? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("every address of every refused range is refused for its range, whatever its spelling, and every other address is allowed")
    func everySpelling() async {
        await propertyCheck(count: 20_000, input: Gen.uint64()) { seed in
            var generator = SplitMix64(seed: seed)
            let address = Self.address(using: &generator)
            let text = Self.spelling(of: address, using: &generator)
            guard let parsed = IPAddress(text) else {
                Issue.record("\(text) (\(address)) did not parse")
                return
            }
            // A spelled IPv4 address may come back as its mapped form; both are judged alike.
            let expected = Self.expected(address)
            #expect(DestinationPolicy.restrictedRange(of: parsed) == expected, "\(text)")
            #expect(Self.refusal { () throws(DestinationRefusal) in try Self.production.checkConnection(to: parsed) } == expected, "\(text)")
            let inDevelopment = expected == .loopback ? nil : expected
            #expect(Self.refusal { () throws(DestinationRefusal) in try Self.development.checkConnection(to: parsed) } == inDevelopment, "\(text)")
            // In a URL, the same address is refused for the same reason.
            let host = parsed.bitWidthIsV6 ? "[\(text)]" : text
            #expect(Self.refusal { () throws(DestinationRefusal) in _ = try Self.production.destination(for: "https://\(host)/hook") } == expected, "\(text)")
        }
    }

    @Test("no string traps the URL check")
    func urlTotal() async {
        let pieces = ["https://", "http://", "[", "]", ":", "::1", "@", "/", "?", "#", "%", "\\", ".", "0", "127", "0x", "a", "-", "é", " ", "65536", "ffff"]
        let strings = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...20).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 20_000, input: strings) { text in
            _ = try? Self.production.destination(for: text)
            _ = try? Self.development.destination(for: text)
        }
    }
}

extension IPAddress {
    fileprivate var bitWidthIsV6: Bool {
        if case .v6 = self { true } else { false }
    }
}

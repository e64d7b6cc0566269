import Events
import PropertyBased
import StrongroomKernel
import Testing

/// Reading addresses: the forms accepted, the ones refused, the canonical text, and that no
/// string at all traps the parser.
@Suite("IP address")
struct IPAddressTests {
    @Test("IPv4 and IPv6 texts read as the address they spell", arguments: [
        ("127.0.0.1", IPAddress.v4(0x7F00_0001)),
        ("0.0.0.0", .v4(0)),
        ("255.255.255.255", .v4(0xFFFF_FFFF)),
        ("10.1.2.3", .v4(0x0A01_0203)),
        ("::", .v6(0)),
        ("::1", .v6(1)),
        ("0:0:0:0:0:0:0:1", .v6(1)),
        ("0000:0000:0000:0000:0000:0000:0000:0001", .v6(1)),
        ("1::", .v6(1 << 112)),
        ("1:2:3:4:5:6:7::", .v6(0x0001_0002_0003_0004_0005_0006_0007_0000)),
        ("::2:3:4:5:6:7:8", .v6(0x0000_0002_0003_0004_0005_0006_0007_0008)),
        ("FE80::AbCd", .v6(0xFE80 << 112 | 0xABCD)),
        ("::ffff:127.0.0.1", .v6(0xFFFF_7F00_0001)),
        ("::FFFF:7f00:1", .v6(0xFFFF_7F00_0001)),
        ("0:0:0:0:0:ffff:127.0.0.1", .v6(0xFFFF_7F00_0001)),
        ("64:ff9b::10.0.0.1", .v6(0x0064_FF9B << 96 | 0x0A00_0001)),
        ("1:2:3:4:5:6:1.2.3.4", .v6(0x0001_0002_0003_0004_0005_0006_0102_0304)),
    ])
    func parses(text: String, expected: IPAddress) {
        #expect(IPAddress(text) == expected)
    }

    @Test("texts that are not exactly one address are refused", arguments: [
        "", " ", "127.0.0.1 ", " 127.0.0.1", "127.0.0", "127.0.0.1.5", "127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1",
        "127.000.0.1", "01.2.3.4", "256.0.0.1", "1.2.3.-4", "1..2.3", "1.2.3.4.", ".1.2.3.4", "+1.2.3.4",
        ":", ":::", "::::", "1:::2", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "g::", "::1.2.3", "::1.2.3.4:5", "1.2.3.4::",
        "::ffff:127.000.0.1", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "[::1]", "::1/128", "١٢٧.0.0.1",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555",
    ])
    func refuses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("an address from a socket is read from its 4 or 16 bytes in network order")
    func fromBytes() {
        #expect(IPAddress(bytes: [127, 0, 0, 1]) == .v4(0x7F00_0001))
        #expect(IPAddress(bytes: [UInt8](repeating: 0, count: 15) + [1]) == .v6(1))
        #expect(IPAddress(bytes: [0xFE, 0x80] + [UInt8](repeating: 0, count: 14)) == IPAddress("fe80::"))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPAddress(bytes: []) == nil)
    }

    @Test("the canonical text is RFC 5952's", arguments: [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::", "::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("0:0:0:0:0:ffff:7f00:1", "::ffff:127.0.0.1"),
        ("010.1.2.3", nil),
        ("10.1.2.3", "10.1.2.3"),
    ] as [(String, String?)])
    func canonicalText(text: String, expected: String?) {
        #expect(IPAddress(text)?.description == expected)
    }

    @Test("IPv4 inside IPv6: mapped, compatible and NAT64 carry one; :: and ::1 and other IPv6 do not")
    func embedded() {
        #expect(IPAddress("::ffff:10.0.0.1")?.embeddedIPv4 == 0x0A00_0001)
        #expect(IPAddress("::10.0.0.1")?.embeddedIPv4 == 0x0A00_0001)
        #expect(IPAddress("::2")?.embeddedIPv4 == 2)
        #expect(IPAddress("64:ff9b::7f00:1")?.embeddedIPv4 == 0x7F00_0001)
        #expect(IPAddress("::")?.embeddedIPv4 == nil)
        #expect(IPAddress("::1")?.embeddedIPv4 == nil)
        #expect(IPAddress("1::ffff:10.0.0.1")?.embeddedIPv4 == nil)
        #expect(IPAddress("64:ff9b:1::7f00:1")?.embeddedIPv4 == nil)
        #expect(IPAddress("10.0.0.1")?.embeddedIPv4 == nil)
    }

    @Test("blocks in CIDR notation: host bits, lengths and families are checked")
    func blocks() {
        #expect(AddressBlock("10.0.0.0/8")?.contains(.v4(0x0AFF_FFFF)) == true)
        #expect(AddressBlock("10.0.0.0/8")?.contains(.v4(0x0B00_0000)) == false)
        #expect(AddressBlock("10.0.0.0/8")?.contains(.v6(0xFFFF_0A00_0001)) == false)
        #expect(AddressBlock("0.0.0.0/0")?.contains(.v4(0xFFFF_FFFF)) == true)
        #expect(AddressBlock("::/0")?.contains(.v6(.max)) == true)
        #expect(AddressBlock("::/0")?.contains(.v4(0)) == false)
        #expect(AddressBlock("fe80::/10")?.contains(.v6(0xFEBF_FFFF << 96)) == true)
        #expect(AddressBlock("fe80::/10")?.contains(.v6(0xFEC0 << 112)) == false)
        #expect(AddressBlock("192.0.2.7") == AddressBlock("192.0.2.7/32"))
        #expect(AddressBlock("2001:db8::1")?.prefixLength == 128)
        #expect(AddressBlock("2001:db8::/32")?.description == "2001:db8::/32")
        for text in ["10.0.0.1/8", "10.0.0.0/33", "::/129", "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/-1", "fe80::1/10", "x/8"] {
            #expect(AddressBlock(text) == nil, "\(text)")
        }
    }

    /// Strings near addresses: parts of addresses, separators, brackets, zones and non-ASCII.
    static let pieces = ["0", "1", "9", "00", "255", "256", "ffff", "FFFF", "0x", ":", "::", ".", "%", "/", "[", "]", " ", "-", "+", "g", "١", "é", "\u{0}", "1.2.3.4", "::ffff:"]

    @Test("no string traps the parser, and whatever it reads, its canonical text reads back as the same address")
    func totalAndStable() async {
        let strings = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...24).map { $0.map { Self.pieces[$0] }.joined() }
        await propertyCheck(count: 20_000, input: strings) { text in
            guard let address = IPAddress(text) else { return }
            #expect(IPAddress(address.description) == address, "\(text)")
        }
        await propertyCheck(count: 2_000, input: Gen.uint8().array(of: 0...80)) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            if let address = IPAddress(text) { #expect(IPAddress(address.description) == address) }
            _ = AddressBlock(text)
        }
    }
}

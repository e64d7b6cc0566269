import Foundation
import StrongroomKernel
import Testing

/// `SortedJSONWriter` must write what `JSONEncoder` writes with the options every answer
/// uses: stored idempotent answers are compared byte for byte with replays.
@Suite("Sorted JSON writer")
struct SortedJSONWriterTests {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func written(_ strings: [String]) -> String {
        var json = SortedJSONWriter()
        json.beginArray()
        for string in strings {
            json.element()
            json.string(string)
        }
        json.endArray()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func everyASCIICharacterIsEscapedAsJSONEncoderEscapesIt() throws {
        let each = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        #expect(Self.written(each) == (try Self.encoded(each)))
        let all = each.joined()
        #expect(Self.written([all, all + all]) == (try Self.encoded([all, all + all])))
    }

    @Test func nonASCIITextPassesThroughAsItsUTF8() throws {
        let strings = ["", "é", "Zürich/Genève", "\u{2028}\u{2029}", "\u{FEFF}x", "😀\"😀", "\u{10FFFF}", "\\u0000", "日本\n語\t"]
        #expect(Self.written(strings) == (try Self.encoded(strings)))
    }

    @Test func integersAndBooleans() throws {
        let numbers: [Int64] = [0, 1, -1, 9, 10, -10, 1_234_567_890, Int64.max, Int64.min, Int64.min + 1]
        var json = SortedJSONWriter()
        json.beginArray()
        for number in numbers {
            json.element()
            json.integer(number)
        }
        json.element()
        json.bool(true)
        json.element()
        json.bool(false)
        json.endArray()
        let expected = "[" + numbers.map(String.init).joined(separator: ",") + ",true,false]"
        #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
        #expect(expected == String(try Self.encoded(numbers).dropLast()) + ",true,false]")
    }

    private struct Sample: Encodable {
        let b: [String]
        let a: Int64
        let c: String?
        let nested: [String: [Int64]]
        let e: Bool
    }

    @Test func membersSeparatorsAndEmptyContainers() throws {
        for c in ["x", nil] {
            let sample = Sample(b: [], a: -3, c: c, nested: ["k": [], "l": [1, 2]], e: false)
            var json = SortedJSONWriter()
            json.beginObject()
            json.member("a", sample.a)
            json.key("b")
            json.beginArray()
            json.endArray()
            json.member("c", ifPresent: sample.c)
            json.member("e", sample.e)
            json.key("nested")
            json.beginObject()
            json.key("k")
            json.beginArray()
            json.endArray()
            json.key("l")
            json.beginArray()
            for n in sample.nested["l"]! {
                json.element()
                json.integer(n)
            }
            json.endArray()
            json.endObject()
            json.endObject()
            #expect(String(decoding: json.bytes, as: UTF8.self) == (try Self.encoded(sample)))
        }
    }

    @Test func timestampsAsRFC3339Text() throws {
        let times = [0, 1, -1, 1_795_000_000_123_456, 253_402_300_799_999_999].map { Timestamp(microsecondsSinceEpoch: $0) }
        #expect(String(decoding: SortedJSONWriter.write(times[3]), as: UTF8.self) == (try Self.encoded(times[3])))
        for time in times {
            #expect(SortedJSONWriter.write(time) == Array(try Self.encoder.encode(time)))
        }
    }
}

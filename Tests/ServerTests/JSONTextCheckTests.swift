import Foundation
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// The byte-level check every JSON body passes before a decoder sees it.
@Suite("JSON text check")
struct JSONTextCheckTests {
    static func problem(_ text: String) -> String? {
        JSONTextCheck.firstProblem(in: Data(text.utf8))?.detail
    }

    @Test func ordinaryBodiesPass() {
        #expect(Self.problem(#"{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"{\"a\":\"a\"}","e":-12.5e300}"#) == nil)
        #expect(Self.problem(#"{"send":{"value":"1.00"},"metadata":{"x":"é ü 日本"}}"#) == nil)
        #expect(Self.problem("") == nil)  // the decoder refuses what is not JSON
    }

    @Test func aMemberTwiceInOneObjectIsRefusedAtAnyDepth() {
        #expect(Self.problem(#"{"a":1,"a":2}"#) == "The member 'a' appears twice in one object.")
        #expect(Self.problem(#"{"x":[{"b":1,"c":{"d":1,"d":2}}]}"#) == "The member 'd' appears twice in one object.")
        #expect(Self.problem(#"{"a":1,"\u0061":2}"#) == "The member 'a' appears twice in one object.")
        // The same name in sibling objects, or as a value, is no duplicate.
        #expect(Self.problem(#"{"a":{"a":"a"},"b":[{"a":1},{"a":2}]}"#) == nil)
    }

    @Test func textThatIsNotUTF8IsRefused() {
        #expect(JSONTextCheck.firstProblem(in: Data([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00])) != nil)
        #expect(JSONTextCheck.firstProblem(in: Data([0xEF, 0xBB, 0xBF, 0x7B, 0x7D])) != nil)
        #expect(JSONTextCheck.firstProblem(in: Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])) != nil)
    }

    @Test func numbersLongerThanADecoderKeepsAreRefused() {
        let forty = String(repeating: "9", count: 40)
        #expect(Self.problem(#"{"a":\#(forty)}"#)?.hasPrefix("A JSON number has 40 digits") == true)
        #expect(Self.problem(#"{"a":"\#(forty)"}"#) == nil)  // a string is not a number
        #expect(Self.problem(#"{"a":1e\#(forty)}"#) == nil)  // exponent digits do not count
    }
}

/// The walk that refuses unknown fields and nulls names the first one by its full path.
@Suite("Body shape")
struct BodyShapeTests {
    static let shape = BodyShape.object([
        "a": .object(["b": nil]),
        "list": .array(.object(["x": nil])),
        "meta": .free,
        "z": nil,
    ])

    @Test func violationsAreNamedByPathSmallestKeyFirst() throws {
        func first(_ json: String, nullable: Set<String> = []) throws -> BodyShape.Violation? {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
            return Self.shape.firstViolation(in: object, nullable: nullable)
        }
        #expect(try first(#"{"a":{"b":1},"list":[{"x":1}],"meta":{"any":null},"z":2}"#) == nil)
        #expect(try first(#"{"a":{"c":1}}"#) == .unknown("a.c"))
        #expect(try first(#"{"list":[{"x":1},{"y":1}]}"#) == .unknown("list[1].y"))
        #expect(try first(#"{"list":[{"x":null}]}"#) == .null("list[0].x"))
        #expect(try first(#"{"z":null,"a":{"b":null},"q":1}"#) == .null("a.b"))
        #expect(try first(#"{"z":null}"#, nullable: ["z"]) == nil)
        #expect(try first(#"{"a":{"b":null}}"#, nullable: ["b"]) == .null("a.b"))  // top level only
    }
}

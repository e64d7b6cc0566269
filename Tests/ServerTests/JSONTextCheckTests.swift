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

/// The same pass refuses unknown fields and nulls against a body type's shape, naming the
/// first one in text order by its full path, and collects the top-level member names.
@Suite("Body shape")
struct BodyShapeTests {
    static let shape = BodyShape.object([
        "a": .object(["b": nil]),
        "list": .array(.object(["x": nil])),
        "meta": .free,
        "z": nil,
    ])

    static func first(_ json: String, nullable: Set<String> = []) -> BodyShape.Violation? {
        JSONTextCheck.scan(Data(json.utf8), shape: shape, nullable: nullable).violation
    }

    @Test func violationsAreNamedByPathFirstInTextOrder() {
        #expect(Self.first(#"{"a":{"b":1},"list":[{"x":1}],"meta":{"any":null},"z":2}"#) == nil)
        #expect(Self.first(#"{"a":{"c":1}}"#) == .unknown("a.c"))
        #expect(Self.first(#"{"list":[{"x":1},{"y":1}]}"#) == .unknown("list[1].y"))
        #expect(Self.first(#"{"list":[{"x":null}]}"#) == .null("list[0].x"))
        #expect(Self.first(#"{"z":null,"a":{"b":null},"q":1}"#) == .null("z"))
        #expect(Self.first(#"{"q":1,"z":null}"#) == .unknown("q"))
        #expect(Self.first(#"{"z":null}"#, nullable: ["z"]) == nil)
        #expect(Self.first(#"{"a":{"b":null}}"#, nullable: ["b"]) == .null("a.b"))  // top level only
    }

    @Test func whatTheShapeLeavesToTheDecoderIsNotChecked() {
        // Free parts, fields holding another kind than their shape, and items that are null.
        #expect(Self.first(#"{"meta":{"q":{"r":[{"s":null}]}}}"#) == nil)
        #expect(Self.first(#"{"z":{"unknown":1},"a":[{"c":1}],"list":{"y":1}}"#) == nil)
        #expect(Self.first(#"{"list":[null,{"x":1}]}"#) == nil)
        // Names and nulls inside strings are text, not fields.
        #expect(Self.first(#"{"z":"{\"q\":null}","a":{"b":"null"}}"#) == nil)
    }

    @Test func deepPathsCountItemsAcrossNestedContainers() {
        let shape = BodyShape.object(["rows": .array(.array(.object(["v": nil])))])
        let scan = JSONTextCheck.scan(Data(#"{"rows":[[{"v":1}],[{"v":2},{"v":3,"w":4}]]}"#.utf8), shape: shape)
        #expect(scan.violation == .unknown("rows[1][1].w"))
    }

    @Test func theTopLevelNamesAndKindAreReported() {
        let scan = JSONTextCheck.scan(Data(#" {"z":1,"a":{"b":2},"meta":{"c":3}}"#.utf8), shape: Self.shape)
        #expect(scan.isObject)
        #expect(scan.topLevelNames == ["z", "a", "meta"])
        #expect(!JSONTextCheck.scan(Data("[1]".utf8)).isObject)
        #expect(!JSONTextCheck.scan(Data("".utf8)).isObject)
    }
}

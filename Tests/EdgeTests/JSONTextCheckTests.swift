import Foundation
@testable import StrongroomEdge
import StrongroomKernel
import Testing

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

/// The same pass refuses unknown fields and nulls for required fields against a body type's
/// shape, naming the first one in text order by its full path, and collects the top-level
/// member names that carry a value. A null for an optional field is absence.
@Suite("Body shape")
struct BodyShapeTests {
    static let shape = BodyShape.object(
        [
            "a": .object(["b": nil, "c": nil], required: ["b"]),
            "list": .array(.object(["x": nil, "y": nil], required: ["y"])),
            "meta": .free,
            "z": nil,
            "r": nil,
            "old": .some(.unsupported),
        ],
        required: ["r"]
    )

    static func first(_ json: String) -> BodyShape.Violation? {
        JSONTextCheck.scan(Data(json.utf8), shape: shape).violation
    }

    @Test func violationsAreNamedByPathFirstInTextOrder() {
        #expect(Self.first(#"{"a":{"b":1},"list":[{"y":1}],"meta":{"any":null},"z":2,"r":3}"#) == nil)
        #expect(Self.first(#"{"a":{"d":1}}"#) == .unknown("a.d"))
        #expect(Self.first(#"{"list":[{"y":1},{"q":1}]}"#) == .unknown("list[1].q"))
        #expect(Self.first(#"{"list":[{"y":null}]}"#) == .null("list[0].y"))
        #expect(Self.first(#"{"r":null,"a":{"b":null},"q":1}"#) == .null("r"))
        #expect(Self.first(#"{"q":1,"r":null}"#) == .unknown("q"))
        #expect(Self.first(#"{"z":null,"a":{"b":null}}"#) == .null("a.b"))
    }

    @Test func aNullForAnOptionalFieldIsAbsenceAtAnyDepth() {
        #expect(Self.first(#"{"z":null,"a":null,"list":null,"meta":null,"old":null}"#) == nil)
        #expect(Self.first(#"{"a":{"b":1,"c":null},"list":[{"x":null,"y":1},{"y":2,"x":null}]}"#) == nil)
        // Only the value right after a required field's name is that field's.
        #expect(Self.first(#"{"a":{"c":null,"b":[null]}}"#) == nil)
    }

    @Test func aFieldKnownOnlyAsNullRefusesEveryValue() {
        for value in [#""x""#, "1", "-1", "true", "false", "{}", "[]", #"{"p":1}"#] {
            #expect(Self.first(#"{"old":\#(value)}"#) == .unsupported("old"), "\(value)")
        }
    }

    @Test func whatTheShapeLeavesToTheDecoderIsNotChecked() {
        // Free parts, fields holding another kind than their shape, and items that are null.
        #expect(Self.first(#"{"meta":{"q":{"r":[{"s":null}]}}}"#) == nil)
        #expect(Self.first(#"{"z":{"unknown":1},"a":[{"d":1}],"list":{"q":1}}"#) == nil)
        #expect(Self.first(#"{"list":[null,{"y":1}]}"#) == nil)
        // Names and nulls inside strings are text, not fields.
        #expect(Self.first(#"{"z":"{\"q\":null}","a":{"b":"null"},"r":"true"}"#) == nil)
    }

    @Test func deepPathsCountItemsAcrossNestedContainers() {
        let shape = BodyShape.object(["rows": .array(.array(.object(["v": nil])))])
        let scan = JSONTextCheck.scan(Data(#"{"rows":[[{"v":1}],[{"v":2},{"v":3,"w":4}]]}"#.utf8), shape: shape)
        #expect(scan.violation == .unknown("rows[1][1].w"))
    }

    @Test func theTopLevelNamesThatCarryAValueAndTheKindAreReported() {
        let scan = JSONTextCheck.scan(Data(#" {"z":1,"a":{"b":2,"c":null},"meta":{"c":3},"old":null,"list":null}"#.utf8), shape: Self.shape)
        #expect(scan.violation == nil)
        #expect(scan.isObject)
        #expect(scan.topLevelNames == ["z", "a", "meta"])
        #expect(!JSONTextCheck.scan(Data("[1]".utf8)).isObject)
        #expect(!JSONTextCheck.scan(Data("".utf8)).isObject)
    }
}

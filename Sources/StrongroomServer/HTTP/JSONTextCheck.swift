import Foundation
import StrongroomKernel

/// What a request body must be before any decoder sees it, checked in one pass over its
/// bytes: UTF-8 (decoders would also take UTF-16 and UTF-32, and guess), no member name
/// twice in one object (decoders keep one of the two silently, and not all the same one),
/// and no number longer than a decoder keeps exactly (they round it silently). Each is a
/// 400 problem. The grammar itself is left to the decoder; on text that is not JSON this
/// check may stop early, and the decoder then refuses it.
struct JSONTextCheck {
    /// The most significant digits a JSON number may carry: more than a decoder keeps
    /// exactly (a `Decimal` holds 38). Amounts are strings and never meet this bound.
    static let maxNumberDigits = 30

    /// Throws the first problem of `data` as a 400 problem.
    static func validate(_ data: Data) throws {
        if let problem = firstProblem(in: data) { throw problem }
    }

    static func firstProblem(in data: Data) -> StrongroomError? {
        guard String(validating: data, as: UTF8.self) != nil, !data.starts(with: [0xEF, 0xBB, 0xBF]) else {
            return StrongroomError(.malformedJSON, .badRequest, "The request body is not UTF-8 JSON text.")
        }
        var scan = JSONTextCheck()
        return data.withUnsafeBytes { scan.run(over: $0) }
    }

    /// One open container: for an object, the member names seen so far and whether the next
    /// string is a name.
    private struct Container {
        let isObject: Bool
        var names: Set<String> = []
        var expectingName: Bool
    }

    private var stack: [Container] = []

    private mutating func run(over bytes: UnsafeRawBufferPointer) -> StrongroomError? {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                var escaped = false
                while end < count, bytes[end] != UInt8(ascii: "\"") {
                    escaped = escaped || bytes[end] == UInt8(ascii: "\\")
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard end < count else { return nil }  // unterminated: the decoder refuses it
                if let top = stack.indices.last, stack[top].isObject, stack[top].expectingName {
                    let name = Self.name(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), escaped: escaped)
                    guard stack[top].names.insert(name).inserted else {
                        let shown = String(name.prefix(64))
                        return StrongroomError(
                            .malformedJSON, .badRequest, "The member '\(shown)' appears twice in one object.",
                            fields: [.init(field: shown, message: "appears twice")]
                        )
                    }
                    stack[top].expectingName = false
                }
                index = end + 1
            case UInt8(ascii: "{"):
                stack.append(Container(isObject: true, expectingName: true))
                index += 1
            case UInt8(ascii: "["):
                stack.append(Container(isObject: false, expectingName: false))
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                index += 1
            case UInt8(ascii: ","):
                if let top = stack.indices.last, stack[top].isObject { stack[top].expectingName = true }
                index += 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var digits = 0
                var inExponent = false
                while index < count, Self.isNumberByte(bytes[index]) {
                    switch bytes[index] {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): if !inExponent { digits += 1 }
                    case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
                    default: break
                    }
                    index += 1
                }
                if digits > Self.maxNumberDigits {
                    return StrongroomError(
                        .invalidField, .badRequest,
                        "A JSON number has \(digits) digits; numbers may have at most \(Self.maxNumberDigits). Send longer values as strings."
                    )
                }
            default:
                index += 1
            }
        }
        return nil
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "+"):
            true
        default: false
        }
    }

    /// A member name as a decoder sees it: escapes resolved, so "a" and "\u0061" are one name.
    private static func name(_ bytes: UnsafeRawBufferPointer, escaped: Bool) -> String {
        let raw = String(decoding: bytes, as: UTF8.self)
        guard escaped else { return raw }
        let quoted = Data(("\"" + raw + "\"").utf8)
        return (try? JSONSerialization.jsonObject(with: quoted, options: [.fragmentsAllowed]) as? String) ?? raw
    }
}

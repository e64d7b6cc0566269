import Foundation
import StrongroomKernel

/// What a request body must be before any decoder sees it, checked in one pass over its
/// bytes: UTF-8 (decoders would also take UTF-16 and UTF-32, and guess), no member name
/// twice in one object (decoders keep one of the two silently, and not all the same one),
/// and no number longer than a decoder keeps exactly (they round it silently). Each is a
/// 400 problem. The same pass checks the fields against the body type's shape (no unknown
/// field at any depth, no null for a required field; a null elsewhere is absence) and
/// collects the top-level member names that carry a value. The grammar itself is left to
/// the decoder; on text that is not JSON this check may stop early, and the decoder then
/// refuses it.
///
/// One pass, no tree: a `JSONSerialization` tree walked for the shape cost 8 % of the
/// server's CPU under load, most of it in dynamic casts of its Foundation objects.
public struct JSONTextCheck {
    /// The most significant digits a JSON number may carry: more than a decoder keeps
    /// exactly (a `Decimal` holds 38). Amounts are strings and never meet this bound.
    public static let maxNumberDigits = 30

    /// What one pass over a body found.
    public struct Scan {
        /// The first problem of the text itself, as a 400 problem.
        var problem: StrongroomError?
        /// Whether the text starts as an object.
        var isObject = false
        /// The first field, in text order, that the shape refuses.
        var violation: BodyShape.Violation?
        /// The member names of the top-level object whose value is not null.
        var topLevelNames: Set<String> = []
    }

    /// Throws the first problem of `data` as a 400 problem.
    public static func validate(_ data: Data) throws {
        if let problem = firstProblem(in: data) { throw problem }
    }

    public static func firstProblem(in data: Data) -> StrongroomError? {
        scan(data).problem
    }

    /// Scans `data`, checking its fields against `shape` when given.
    public static func scan(_ data: Data, shape: BodyShape? = nil) -> Scan {
        guard String(validating: data, as: UTF8.self) != nil, !data.starts(with: [0xEF, 0xBB, 0xBF]) else {
            return Scan(problem: StrongroomError(.malformedJSON, "The request body is not UTF-8 JSON text."))
        }
        var scanner = Scanner(shape: shape)
        data.withUnsafeBytes { scanner.run(over: $0) }
        return scanner.result
    }

    /// One open container.
    private struct Container {
        let isObject: Bool
        /// What its members or items must be; nil where they are not checked (`.free` parts,
        /// and anything under a field of the wrong kind, which the decoder refuses).
        let shape: BodyShape?
        /// Objects: the member names so far, and whether the next string is a name.
        var names: Set<String> = []
        var expectingName: Bool
        /// Objects: the current member, and its shape when the shape knows it (`.some(nil)`
        /// for a scalar).
        var member = ""
        var memberShape: BodyShape?? = nil
        /// Arrays: how many items came before the current one.
        var index = 0
    }

    private struct Scanner {
        let shape: BodyShape?
        var stack: [Container] = []
        var result = Scan()
        /// Top-level members whose value is null: absent, so no name the body gave.
        var topLevelNulls: Set<String> = []

        init(shape: BodyShape?) {
            self.shape = shape
        }

        mutating func run(over bytes: UnsafeRawBufferPointer) {
            result.isObject = bytes.first(where: { !JSONTextCheck.isWhiteSpace($0) }) == UInt8(ascii: "{")
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
                    guard end < count else { return }  // unterminated: the decoder refuses it
                    if let top = stack.indices.last, stack[top].isObject, stack[top].expectingName {
                        let name = JSONTextCheck.name(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), escaped: escaped)
                        guard stack[top].names.insert(name).inserted else {
                            let shown = String(name.prefix(64))
                            result.problem = StrongroomError(
                                .malformedJSON, "The member '\(shown)' appears twice in one object.",
                                fields: [.init(field: shown, message: "appears twice")]
                            )
                            return
                        }
                        member(named: name)
                    } else {
                        _ = valueStarts(isNull: false)
                    }
                    index = end + 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = byte == UInt8(ascii: "{")
                    let next = valueStarts(isNull: false)
                    let checked: BodyShape?
                    switch next {
                    case .some(.object) where isObject, .some(.array) where !isObject: checked = next
                    default: checked = nil
                    }
                    stack.append(Container(isObject: isObject, shape: checked, expectingName: isObject))
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if let closed = stack.popLast(), stack.isEmpty, closed.isObject {
                        result.topLevelNames = closed.names.subtracting(topLevelNulls)
                    }
                    index += 1
                case UInt8(ascii: ","):
                    if let top = stack.indices.last {
                        if stack[top].isObject { stack[top].expectingName = true } else { stack[top].index += 1 }
                    }
                    index += 1
                case UInt8(ascii: "n"):
                    // Outside a string, only `null` starts with n.
                    _ = valueStarts(isNull: true)
                    index += 1
                case UInt8(ascii: "t"), UInt8(ascii: "f"):
                    // Outside a string, only `true` and `false` hold these letters first.
                    _ = valueStarts(isNull: false)
                    index += 1
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    _ = valueStarts(isNull: false)
                    var digits = 0
                    var inExponent = false
                    while index < count, JSONTextCheck.isNumberByte(bytes[index]) {
                        switch bytes[index] {
                        case UInt8(ascii: "0")...UInt8(ascii: "9"): if !inExponent { digits += 1 }
                        case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
                        default: break
                        }
                        index += 1
                    }
                    if digits > JSONTextCheck.maxNumberDigits {
                        result.problem = StrongroomError(
                            .invalidField,
                            "A JSON number has \(digits) digits; numbers may have at most \(JSONTextCheck.maxNumberDigits). Send longer values as strings."
                        )
                        return
                    }
                default:
                    index += 1
                }
            }
            if let root = stack.first, root.isObject { result.topLevelNames = root.names.subtracting(topLevelNulls) }
        }

        /// A member name was read in the innermost object: check it against its shape.
        private mutating func member(named name: String) {
            let top = stack.count - 1
            stack[top].expectingName = false
            stack[top].member = name
            stack[top].memberShape = nil
            guard case .object(let fields, _) = stack[top].shape else { return }
            if let shape = fields[name] {
                stack[top].memberShape = .some(shape)
            } else {
                record(.unknown(path(to: name)))
            }
        }

        /// A value starts here: answers the shape it must have (nil when it is not checked),
        /// after checking a member's value against its field. A null is absence, unless the
        /// field is required; a field Strongroom does not implement may only be null. The
        /// member then no longer waits for its value.
        private mutating func valueStarts(isNull: Bool) -> BodyShape? {
            guard let top = stack.indices.last else { return shape }
            if stack[top].isObject {
                guard !stack[top].expectingName, let known = stack[top].memberShape else { return nil }
                stack[top].memberShape = nil
                if isNull {
                    if case .object(_, let required) = stack[top].shape, required.contains(stack[top].member) {
                        record(.null(path(to: stack[top].member)))
                    } else if top == 0 {
                        topLevelNulls.insert(stack[top].member)
                    }
                } else if case .some(.unsupported) = known {
                    record(.unsupported(path(to: stack[top].member)))
                }
                return known
            }
            if case .array(let element) = stack[top].shape { return element }
            return nil
        }

        /// The dotted path of `name` in the innermost object: `a.b`, `a[3].b`.
        private func path(to name: String) -> String {
            var path = ""
            for container in stack.dropLast() {
                if container.isObject {
                    path += path.isEmpty ? container.member : "." + container.member
                } else {
                    path += "[\(container.index)]"
                }
            }
            return path.isEmpty ? name : path + "." + name
        }

        private mutating func record(_ violation: BodyShape.Violation) {
            if result.violation == nil { result.violation = violation }
        }
    }

    /// JSON's white space (RFC 8259): space, tab, line feed, carriage return.
    public static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
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

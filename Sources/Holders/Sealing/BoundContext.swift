/// The bytes of what a seal or a keyed hash is bound to: a label naming the use, then each
/// part as its length (8 bytes, most significant first) and its bytes. With every part
/// length-prefixed no two lists of parts encode alike, whatever the parts hold (an id with
/// the separator a plain join would use, an empty part).
enum BoundContext {
    static func bytes(_ label: String, _ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for part in [Array(label.utf8)] + parts {
            let count = UInt64(truncatingIfNeeded: part.count)
            out += [56, 48, 40, 32, 24, 16, 8, 0].map { UInt8(truncatingIfNeeded: count >> $0) }
            out += part
        }
        return out
    }
}

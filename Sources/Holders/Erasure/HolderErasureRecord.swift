import StrongroomKernel

/// The erasure record's contents, read and checked: every erasure ever acknowledged, one
/// authenticated line each (`HolderErasureEntry`), kept outside the database so that a
/// database restored from a copy taken before an erasure is erased again before it serves
/// (docs/ARCHITECTURE.md, "Holders: personal data sealed field by field").
///
/// Lines are appended whole and fsynced before the erasure commits, so the only line that
/// may be incomplete is the last, cut short by a crash during its append: it was never
/// acknowledged, and is left out (`tornTailBytes`). Any other line that does not parse or
/// verify makes the whole record unusable: someone edited the file, or it was written under
/// another master key, and which erasures it holds can no longer be trusted.
public struct HolderErasureRecord: Sendable, Equatable {
    /// Longer than any line this format writes (about 170 bytes): a longer line, or a longer
    /// unterminated tail, is not one of ours.
    public static let maxLineBytes = 256

    /// In the order they were appended.
    public let entries: [HolderErasureEntry]
    /// The bytes after the last newline: a line whose append a crash cut short, to be cut
    /// off before the next append.
    public let tornTailBytes: Int

    public init(entries: [HolderErasureEntry] = [], tornTailBytes: Int = 0) {
        self.entries = entries
        self.tornTailBytes = tornTailBytes
    }

    /// Parses and verifies a record file's bytes with `key`.
    public init(contents: [UInt8], key: HolderErasureKey) throws(HolderErasureRecordError) {
        var entries: [HolderErasureEntry] = []
        var start = contents.startIndex
        var number = 0
        while let newline = contents[start...].firstIndex(of: UInt8(ascii: "\n")) {
            number += 1
            entries.append(try Self.entry(contents[start..<newline], number: number, key: key))
            start = newline + 1
        }
        let tail = contents.endIndex - start
        guard tail <= Self.maxLineBytes else { throw .malformedLine(number + 1) }
        self.init(entries: entries, tornTailBytes: tail)
    }

    /// Each holder the record names, once, in the order of its first erasure.
    public var subjects: [HolderErasureEntry.Subject] {
        var seen: Set<HolderErasureEntry.Subject> = []
        return entries.compactMap { seen.insert($0.subject).inserted ? $0.subject : nil }
    }

    /// What to erase again in a database where the holders of `stillKeyed` still have a
    /// wrapped data key (a copy taken before their erasure): each such holder once, with
    /// its first recorded erasure's time, in record order. A holder the database no longer
    /// keys (erased there too) or does not have (a copy older than the holder) needs nothing.
    public func toReapply(stillKeyed: Set<HolderErasureEntry.Subject>) -> [HolderErasureEntry] {
        var seen: Set<HolderErasureEntry.Subject> = []
        return entries.filter { stillKeyed.contains($0.subject) && seen.insert($0.subject).inserted }
    }

    private static func entry(_ line: ArraySlice<UInt8>, number: Int, key: HolderErasureKey) throws(HolderErasureRecordError) -> HolderErasureEntry {
        // Printable ASCII and spaces only, so the text is its bytes.
        guard line.count <= maxLineBytes, line.allSatisfy({ (0x20...0x7E).contains($0) }) else { throw .malformedLine(number) }
        let fields = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == HolderErasureEntry.formatVersion,
              let erasedAt = RFC3339.parse(fields[1]), RFC3339.format(erasedAt) == fields[1],
              let entry = HolderErasureEntry(organizationID: fields[2], holderID: fields[3], erasedAt: erasedAt),
              let mac = Hex.bytes(fields[4]), mac.count == 32
        else { throw .malformedLine(number) }
        guard ConstantTime.equal(mac, key.mac(Array(fields[0..<4]))) else { throw .lineDoesNotVerify(number) }
        return entry
    }
}

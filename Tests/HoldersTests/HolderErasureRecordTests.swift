import Foundation
import Holders
import StrongroomKernel
import Testing

/// The erasure record's lines without any file: written and read back, a torn last line
/// left out, every edited or foreign line refused with its number, and which erasures a
/// restored database needs again.
@Suite("Holder erasure record")
struct HolderErasureRecordTests {
    static let key = HolderErasureKey(seed: (1...32).map { UInt8($0) })
    static let otherKey = HolderErasureKey(seed: (2...33).map { UInt8($0) })
    static let at = Timestamp(microsecondsSinceEpoch: 1_765_000_000_123_456)

    static func entry(_ holder: String = HolderKeyFixtures.holder, organization: String = HolderKeyFixtures.organizationA, seconds: Int64 = 0) -> HolderErasureEntry {
        guard let entry = HolderErasureEntry(organizationID: organization, holderID: holder, erasedAt: at.adding(seconds: seconds)) else {
            preconditionFailure("fixture ids are canonical")
        }
        return entry
    }

    static func bytes(_ entries: [HolderErasureEntry], key: HolderErasureKey = key) -> [UInt8] {
        Array(entries.map { $0.line(signedWith: key) }.joined().utf8)
    }

    @Test func linesReadBackAsTheEntriesWritten() throws {
        let entries = [Self.entry(), Self.entry(HolderKeyFixtures.otherHolder, organization: HolderKeyFixtures.organizationB, seconds: 5)]
        let record = try HolderErasureRecord(contents: Self.bytes(entries), key: Self.key)
        #expect(record == HolderErasureRecord(entries: entries))
        #expect(try HolderErasureRecord(contents: [], key: Self.key) == HolderErasureRecord())
        // Ids and a time only: the line is the entry's fields and a MAC.
        let line = Self.entry().line(signedWith: Self.key)
        #expect(line.hasPrefix("v1 2025-12-06T05:46:40.123456Z \(HolderKeyFixtures.organizationA) \(HolderKeyFixtures.holder) "))
        #expect(line.hasSuffix("\n") && line.split(separator: " ").count == 5)
        #expect(!"\(Self.key)".contains("01") && "\(Self.key)".contains("redacted"))
    }

    @Test func onlyCanonicalIdsMakeAnEntry() {
        #expect(HolderErasureEntry(organizationID: HolderKeyFixtures.organizationA.uppercased(), holderID: HolderKeyFixtures.holder, erasedAt: Self.at) == nil)
        #expect(HolderErasureEntry(organizationID: HolderKeyFixtures.organizationA, holderID: "holder 1", erasedAt: Self.at) == nil)
    }

    /// A crash during an append leaves at most the last line short: it was never
    /// acknowledged, so it is left out, whatever its bytes.
    @Test func aTornLastLineIsLeftOut() throws {
        let whole = Self.bytes([Self.entry()])
        let next = Array(Self.entry(HolderKeyFixtures.otherHolder).line(signedWith: Self.key).utf8)
        for cut in [1, 20, next.count - 1] {
            let record = try HolderErasureRecord(contents: whole + next.prefix(cut), key: Self.key)
            #expect(record.entries == [Self.entry()] && record.tornTailBytes == cut)
        }
        // Zeros where a crash extended the file before its data reached the disk.
        #expect(try HolderErasureRecord(contents: whole + [0, 0, 0], key: Self.key).tornTailBytes == 3)
        // More than any line, unterminated: not a torn append.
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: HolderErasureRecord.maxLineBytes + 1)
        #expect(throws: HolderErasureRecordError.malformedLine(2)) { try HolderErasureRecord(contents: whole + long, key: Self.key) }
    }

    @Test func anEditedOrForeignLineIsRefusedWithItsNumber() throws {
        let entries = [Self.entry(), Self.entry(HolderKeyFixtures.otherHolder, seconds: 1), Self.entry(seconds: 2)]
        let good = Self.bytes(entries)
        #expect(throws: HolderErasureRecordError.lineDoesNotVerify(1)) { try HolderErasureRecord(contents: good, key: Self.otherKey) }
        // Every field of the second line changed, each still well formed.
        let text = String(decoding: good, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let second = lines[1].split(separator: " ").map(String.init)
        let edits: [[String]] = [
            [second[0], "2025-12-06T05:46:42.123456Z", second[2], second[3], second[4]],
            [second[0], second[1], HolderKeyFixtures.organizationB, second[3], second[4]],
            [second[0], second[1], second[2], HolderKeyFixtures.holder, second[4]],
            [second[0], second[1], second[2], second[3], String(second[4].reversed())],
        ]
        for edit in edits {
            var edited = lines
            edited[1] = edit.joined(separator: " ")
            #expect(throws: HolderErasureRecordError.lineDoesNotVerify(2)) {
                try HolderErasureRecord(contents: Array(edited.joined(separator: "\n").utf8), key: Self.key)
            }
        }
        // Lines that are not this format's, wherever they are.
        for bad in ["", "v2" + lines[1].dropFirst(2), lines[1] + " extra", lines[1].replacingOccurrences(of: ".123456Z", with: "Z"),
                    lines[1].replacingOccurrences(of: HolderKeyFixtures.organizationA, with: HolderKeyFixtures.organizationA.uppercased()), lines[1] + "\u{e9}"] {
            var edited = lines
            edited[1] = bad
            #expect(throws: HolderErasureRecordError.malformedLine(2), "\(bad)") {
                try HolderErasureRecord(contents: Array(edited.joined(separator: "\n").utf8), key: Self.key)
            }
        }
        // A line dropped from the middle leaves lines that each verify: the record keeps no
        // chain, and the docs say why the file is backed up on its own.
        var dropped = lines
        dropped.remove(at: 1)
        #expect(try HolderErasureRecord(contents: Array(dropped.joined(separator: "\n").utf8), key: Self.key).entries.count == 2)
    }

    @Test func whatARestoredDatabaseNeedsAgainIsEachStillKeyedHolderOnceAtItsFirstErasure() {
        let first = Self.entry()
        let second = Self.entry(HolderKeyFixtures.otherHolder, organization: HolderKeyFixtures.organizationB, seconds: 1)
        let again = Self.entry(seconds: 9)
        let record = HolderErasureRecord(entries: [first, second, again])
        #expect(record.subjects == [first.subject, second.subject])
        #expect(record.toReapply(stillKeyed: [first.subject, second.subject]) == [first, second])
        #expect(record.toReapply(stillKeyed: [second.subject]) == [second])
        #expect(record.toReapply(stillKeyed: []).isEmpty)
        // The same holder id in another organization is another holder.
        let elsewhere = HolderErasureEntry.Subject(organizationID: HolderKeyFixtures.organizationB, holderID: HolderKeyFixtures.holder)
        #expect(record.toReapply(stillKeyed: [elsewhere]).isEmpty)
    }
}

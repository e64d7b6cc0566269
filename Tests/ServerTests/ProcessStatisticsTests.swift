import Foundation
import Testing

@testable import StrongroomServer

/// The `/proc` parser behind the process metrics, on fixture text: what each figure is, a
/// process name holding spaces and parentheses, and malformed or truncated files, which give
/// no figure and never trap.
@Suite("Process statistics")
struct ProcessStatisticsTests {
    /// Fields 14–15 (utime 250, stime 130), 22 (starttime 1234500), 23 (vsize), 24 (rss 3000).
    static let stat = "4242 (strongroom) S 1 4242 4242 0 -1 4194560 5000 0 12 0 250 130 0 0 20 0 17 0 1234500 987654321 3000 "
        + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n"
    static let limits = """
        Limit                     Soft Limit           Hard Limit           Units     
        Max cpu time              unlimited            unlimited            seconds   
        Max open files            20000                524288               files     
        Max locked memory         8388608              8388608              bytes     

        """
    static let systemStat = "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 5 6\nctxt 99\nbtime 1796630053\nprocesses 7\n"

    static func parse(
        stat: String? = stat, limits: String? = limits, systemStat: String? = systemStat, fds: Int? = 12, ticks: Int = 100, page: Int = 4096
    ) -> ProcessStatistics {
        ProcessStatistics(stat: stat, limits: limits, systemStat: systemStat, openFileDescriptors: fds, ticksPerSecond: ticks, pageBytes: page)
    }

    @Test func everyFigureFromWellFormedFiles() {
        let figures = Self.parse()
        #expect(figures.cpuSeconds == 3.8)
        #expect(figures.residentMemoryBytes == Int64(3000 * 4096))
        #expect(figures.virtualMemoryBytes == 987_654_321)
        #expect(figures.openFileDescriptors == 12)
        #expect(figures.maxFileDescriptors == 20000)
        #expect(figures.startTimeSeconds == Double(1_796_630_053 + 12_345))
    }

    @Test(arguments: ["a b c", "a) S 1 2 (b", "))", "x) 1 2 3 4 5 6 7 8 9 10 11 12 13 (", ""])
    func aNameWithSpacesAndParenthesesIsSkippedWhole(name: String) {
        let stat = Self.stat.replacingOccurrences(of: "(strongroom)", with: "(\(name))")
        #expect(ProcessStatistics.parseStat(stat) == ProcessStatistics.parseStat(Self.stat))
        #expect(Self.parse(stat: stat) == Self.parse())
    }

    @Test func noProcGivesNoFigures() {
        let figures = Self.parse(stat: nil, limits: nil, systemStat: nil, fds: nil)
        #expect(figures == ProcessStatistics(
            stat: nil, limits: nil, systemStat: nil, openFileDescriptors: nil, ticksPerSecond: 100, pageBytes: 4096
        ))
        #expect(figures.cpuSeconds == nil && figures.residentMemoryBytes == nil && figures.maxFileDescriptors == nil)
        #expect(figures.startTimeSeconds == nil && figures.openFileDescriptors == nil && figures.virtualMemoryBytes == nil)
    }

    @Test func malformedStatGivesNoStatFigures() {
        let garbage = [
            "", "4242", "4242 (strongroom", "4242 (strongroom) S 1 2 3",
            Self.stat.replacingOccurrences(of: " 250 ", with: " 2x0 "),
            Self.stat.replacingOccurrences(of: " 3000 ", with: " -3000 "),
            Self.stat.replacingOccurrences(of: " 987654321 ", with: " 99999999999999999999999 "),
            String(repeating: ")", count: 10_000),
        ]
        for text in garbage {
            let figures = Self.parse(stat: text)
            #expect(figures.cpuSeconds == nil, "\(text.prefix(80))")
            #expect(figures.residentMemoryBytes == nil && figures.virtualMemoryBytes == nil && figures.startTimeSeconds == nil)
            // What other files say still counts.
            #expect(figures.maxFileDescriptors == 20000 && figures.openFileDescriptors == 12)
        }
    }

    /// Every prefix of the file (a read cut short), and every byte replaced by garbage:
    /// either the figures of the whole file or none, never a trap.
    @Test func truncatedOrCorruptedStatNeverTraps() throws {
        let bytes = Array(Self.stat.utf8)
        let whole = try #require(ProcessStatistics.parseStat(Self.stat))
        // rss, the last field read, is " 3000" before the first field after it.
        let rssEnd = try #require(Self.stat.range(of: " 3000 ")).lowerBound.utf16Offset(in: Self.stat) + 5
        for length in 0...bytes.count {
            let parsed = ProcessStatistics.parseStat(String(decoding: bytes[..<length], as: UTF8.self))
            if length >= rssEnd {
                #expect(parsed == whole, "prefix of \(length)")
            } else if length > rssEnd - 4 {
                // Cut inside rss: a shorter number, the rest as whole.
                #expect(parsed?.residentPages == UInt64(String(decoding: bytes[(rssEnd - 4)..<length], as: UTF8.self)))
                #expect(parsed?.virtualBytes == whole.virtualBytes)
            } else {
                #expect(parsed == nil, "prefix of \(length)")
            }
        }
        for index in bytes.indices {
            for garbage: UInt8 in [0, 0x29, 0x2D, 0x41, 0xFF] {
                var corrupted = bytes
                corrupted[index] = garbage
                _ = Self.parse(stat: String(decoding: corrupted, as: UTF8.self))
            }
        }
    }

    @Test func figuresThatWouldOverflowOrCannotBeScaledAreLeftOut() {
        let huge = Self.stat.replacingOccurrences(of: " 3000 ", with: " \(UInt64.max / 2) ")
        #expect(Self.parse(stat: huge).residentMemoryBytes == nil)
        #expect(Self.parse(stat: huge).virtualMemoryBytes == 987_654_321)
        let noTicks = Self.parse(ticks: 0)
        #expect(noTicks.cpuSeconds == nil && noTicks.startTimeSeconds == nil && noTicks.residentMemoryBytes == Int64(3000 * 4096))
        #expect(Self.parse(page: 0).residentMemoryBytes == nil)
        #expect(Self.parse(page: -1).residentMemoryBytes == nil)
    }

    @Test func limitsAndBootTime() {
        #expect(ProcessStatistics.maxOpenFiles(Self.limits) == 20000)
        #expect(ProcessStatistics.maxOpenFiles(Self.limits.replacingOccurrences(of: "20000", with: "unlimited")) == nil)
        #expect(ProcessStatistics.maxOpenFiles("Max open files") == nil)
        #expect(ProcessStatistics.maxOpenFiles("garbage\n\n") == nil)
        #expect(ProcessStatistics.bootTime(Self.systemStat) == 1_796_630_053)
        #expect(ProcessStatistics.bootTime("btime\nbtime x\nbtime 1 2\n") == nil)
        #expect(ProcessStatistics.bootTime("btime 99999999999999999999999") == nil)
        #expect(Self.parse(systemStat: "cpu 1 2 3\n").startTimeSeconds == nil)
    }

    /// This process's own figures, where there is a `/proc` to read.
    @Test(.enabled(if: ProcessStatistics.readProcFile("/proc/self/stat") != nil))
    func thisProcess() {
        let figures = ProcessStatistics.current()
        #expect((figures.residentMemoryBytes ?? 0) > 0)
        #expect((figures.virtualMemoryBytes ?? 0) >= (figures.residentMemoryBytes ?? 0))
        #expect((figures.openFileDescriptors ?? 0) >= 3)
        #expect((figures.maxFileDescriptors ?? 0) >= (figures.openFileDescriptors ?? 0))
        #expect((figures.cpuSeconds ?? 0) > 0)
        #expect((figures.startTimeSeconds ?? 0) > 1_700_000_000)
        #expect(ProcessStatistics.readProcFile("/proc/self/no such file") == nil)
        #expect(ProcessStatistics.countDirectoryEntries("/no/such/directory") == nil)
    }

    /// Every entry but `.` and `..`, names that start with a dot included; names of every
    /// length up to the longest a file system takes, so records end at every offset of the
    /// directory's buffer.
    @Test func aDirectoryCountsEveryEntryButItselfAndItsParent() throws {
        let directory = NSTemporaryDirectory() + "proc-count-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var names = [".hidden", "..twice", "...", "a"]
        names += (1...255).map { String(repeating: "n", count: $0) }
        for name in names {
            #expect(FileManager.default.createFile(atPath: directory + "/" + name, contents: nil), "\(name)")
        }
        for _ in 0..<20 {
            #expect(ProcessStatistics.countDirectoryEntries(directory) == names.count)
        }
    }
}

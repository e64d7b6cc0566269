/// The process's own figures as Prometheus's standard process collector names them
/// (`process_cpu_seconds_total`, `process_resident_memory_bytes`, …), worked out from the
/// text of Linux's `/proc` files. Pure: `ProcessStatistics+Proc.swift` reads the files, this
/// only parses what it is given, so every malformed or truncated file is tested without a
/// `/proc`. A figure whose file is missing or does not parse is nil, never a trap: the server
/// runs on systems without `/proc` too, where the series stay at 0.
struct ProcessStatistics: Sendable, Equatable {
    /// User and system CPU time.
    var cpuSeconds: Double?
    var residentMemoryBytes: Int64?
    var virtualMemoryBytes: Int64?
    var openFileDescriptors: Int64?
    /// The soft limit on open files; nil when unlimited or unknown.
    var maxFileDescriptors: Int64?
    /// Since the Unix epoch.
    var startTimeSeconds: Double?

    /// What `/proc/self/stat` says, in its own units (clock ticks, pages).
    struct Stat: Sendable, Equatable {
        var userTicks: UInt64
        var systemTicks: UInt64
        /// Ticks after the system booted.
        var startTicks: UInt64
        var virtualBytes: UInt64
        var residentPages: UInt64
    }

    /// - Parameters:
    ///   - stat: `/proc/self/stat`'s text.
    ///   - limits: `/proc/self/limits`'s text.
    ///   - systemStat: `/proc/stat`'s text (for `btime`, the boot time).
    ///   - openFileDescriptors: the entries of `/proc/self/fd`.
    ///   - ticksPerSecond: `sysconf(_SC_CLK_TCK)`.
    ///   - pageBytes: `sysconf(_SC_PAGESIZE)`.
    init(stat: String?, limits: String?, systemStat: String?, openFileDescriptors: Int?, ticksPerSecond: Int, pageBytes: Int) {
        self.openFileDescriptors = openFileDescriptors.map(Int64.init)
        maxFileDescriptors = limits.flatMap(Self.maxOpenFiles)
        guard let parsed = stat.flatMap(Self.parseStat) else { return }
        if pageBytes > 0, let page = UInt64(exactly: pageBytes) {
            let (resident, overflow) = parsed.residentPages.multipliedReportingOverflow(by: page)
            residentMemoryBytes = overflow ? nil : Int64(exactly: resident)
        }
        virtualMemoryBytes = Int64(exactly: parsed.virtualBytes)
        guard ticksPerSecond > 0 else { return }
        let ticks = Double(ticksPerSecond)
        cpuSeconds = (Double(parsed.userTicks) + Double(parsed.systemTicks)) / ticks
        if let boot = systemStat.flatMap(Self.bootTime) {
            startTimeSeconds = Double(boot) + Double(parsed.startTicks) / ticks
        }
    }

    /// `/proc/self/stat`: the process's name comes second, in parentheses, and may itself hold
    /// spaces and parentheses, so the fields are counted from after the last `)`. There the
    /// third field (the state) starts; utime and stime are fields 14 and 15, starttime 22,
    /// vsize 23 and rss 24 (proc(5)).
    static func parseStat(_ text: String) -> Stat? {
        guard let close = text.utf8.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = text.utf8[text.utf8.index(after: close)...].split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            guard index < fields.count, let value = UInt64(String(decoding: fields[index], as: UTF8.self)) else { return nil }
            return value
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23), let resident = field(24) else {
            return nil
        }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }

    /// `/proc/self/limits`: the soft limit (the first figure) of the "Max open files" row.
    static func maxOpenFiles(_ text: String) -> Int64? {
        let prefix = "Max open files"
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            guard let soft = line.dropFirst(prefix.count).split(separator: " ").first, let limit = Int64(soft) else { return nil }
            return limit
        }
        return nil
    }

    /// `/proc/stat`: the `btime` line, the boot time in seconds since the Unix epoch.
    static func bootTime(_ text: String) -> Int64? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "btime", let seconds = Int64(words[1]) { return seconds }
        }
        return nil
    }
}

import Foundation
import StrongroomKernel

/// One day, as the instants it runs from (inclusive) to (exclusive): what a daily limit
/// counts in. Days follow the time zone's rules, so a day in a zone that changes its clocks
/// lasts 23 or 25 hours, and a day whose midnight does not exist starts at its first instant.
public struct DayWindow: Sendable, Hashable, CustomStringConvertible {
    public let start: Timestamp
    public let end: Timestamp

    public init(start: Timestamp, end: Timestamp) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Timestamp) -> Bool { start <= instant && instant < end }

    public var description: String { "[\(start), \(end))" }

    private static let secondsPerDay: Int64 = 86_400

    /// The day of `zone` that `instant` falls in.
    ///
    /// Foundation's calendar reads the zone's rules; `Timestamp` travels to it as whole
    /// seconds (exact in a `Double` for any instant within 285 million years), and the
    /// window's ends come back as whole seconds, since no zone's day starts at a fraction of a
    /// second. If the calendar cannot answer, the zone's offset at that instant decides.
    public static func containing(_ instant: Timestamp, in zone: TimeZone) -> DayWindow {
        let seconds = instant.secondsSinceEpoch
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(seconds))
        if let interval = calendar.dateInterval(of: .day, for: date),
            let start = Int64(exactly: interval.start.timeIntervalSince1970.rounded()),
            let end = Int64(exactly: interval.end.timeIntervalSince1970.rounded()),
            start <= seconds, seconds < end
        {
            return DayWindow(start: timestamp(seconds: start), end: timestamp(seconds: end))
        }
        return fixedOffset(instant, offsetSeconds: Int64(clamping: zone.secondsFromGMT(for: date)))
    }

    /// The UTC day `instant` falls in.
    public static func utc(_ instant: Timestamp) -> DayWindow { fixedOffset(instant, offsetSeconds: 0) }

    /// The day of a zone `offsetSeconds` east of UTC, with no changes of clock. Floor
    /// division, so instants before 1970 fall in their own day too.
    static func fixedOffset(_ instant: Timestamp, offsetSeconds: Int64) -> DayWindow {
        let local = instant.secondsSinceEpoch + offsetSeconds
        let day = local >= 0 ? local / secondsPerDay : (local - secondsPerDay + 1) / secondsPerDay
        let start = day * secondsPerDay - offsetSeconds
        return DayWindow(start: timestamp(seconds: start), end: timestamp(seconds: start + secondsPerDay))
    }

    /// Whole seconds as a timestamp, held at the ends of its range rather than trapping (only
    /// an instant within a day of year 292,277 could get there).
    static func timestamp(seconds: Int64) -> Timestamp {
        let (micro, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return Timestamp(microsecondsSinceEpoch: seconds < 0 ? .min : .max) }
        return Timestamp(microsecondsSinceEpoch: micro)
    }
}

import Histogram

/// One worker's view of the measured interval: latencies in an HdrHistogram (microseconds,
/// 3 significant digits, up to 10 minutes) and counts by outcome. Workers merge at the end.
struct LatencyRecorder: Sendable {
    var latencies = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    var requests = 0
    var transfers = 0
    /// Non-2xx answers by status; transport failures under "transport".
    var errors: [String: Int] = [:]

    mutating func record(microseconds: UInt64, status: Int?, transfers: Int) {
        _ = latencies.record(max(1, min(microseconds, latencies.highestTrackableValue)))
        requests += 1
        self.transfers += transfers
        switch status {
        case let status? where (200..<300).contains(status): break
        case let status?: errors[String(status), default: 0] += 1
        case nil: errors["transport", default: 0] += 1
        }
    }

    mutating func merge(_ other: LatencyRecorder) {
        latencies.add(other.latencies)
        requests += other.requests
        transfers += other.transfers
        errors.merge(other.errors, uniquingKeysWith: +)
    }

    var failed: Int { errors.values.reduce(0, +) }
}

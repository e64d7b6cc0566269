import StrongroomKernel

/// When a failed delivery is tried again, and when it stops being tried.
///
/// Exponential backoff with full jitter: after the `n`th failed attempt in a row the next
/// one waits a uniform draw from `[0, min(cap, base × 2^(n-1))]` (AWS's "full jitter"), so
/// receivers that fail together, after an outage of theirs, are not retried together. With
/// the standard values the ceiling is 1 s, 2 s, 4 s, … and reaches the hour cap at the 13th
/// failure; a delivery still failing 24 hours after its first attempt is parked.
public struct RetryPolicy: Hashable, Sendable {
    /// 1 s doubling to 1 h; parked after 24 h (issue 27).
    public static let standard = RetryPolicy(
        uncheckedBaseMicroseconds: 1_000_000, capMicroseconds: 3_600_000_000, parkAfterMicroseconds: 86_400_000_000
    )

    /// The first failure's ceiling.
    public let baseMicroseconds: Int64
    /// No wait is longer than this, however many failures came before.
    public let capMicroseconds: Int64
    /// A failure this long or longer after the window's first attempt parks the delivery.
    public let parkAfterMicroseconds: Int64

    /// Nil unless `0 < base <= cap` and the parking window is positive.
    public init?(baseMicroseconds: Int64, capMicroseconds: Int64, parkAfterMicroseconds: Int64) {
        guard baseMicroseconds > 0, baseMicroseconds <= capMicroseconds, parkAfterMicroseconds > 0 else { return nil }
        self.init(uncheckedBaseMicroseconds: baseMicroseconds, capMicroseconds: capMicroseconds, parkAfterMicroseconds: parkAfterMicroseconds)
    }

    private init(uncheckedBaseMicroseconds: Int64, capMicroseconds: Int64, parkAfterMicroseconds: Int64) {
        self.baseMicroseconds = uncheckedBaseMicroseconds
        self.capMicroseconds = capMicroseconds
        self.parkAfterMicroseconds = parkAfterMicroseconds
    }

    /// The longest wait after `failures` failed attempts in a row: `min(cap, base × 2^(failures-1))`,
    /// for any count at all. The doubling stops at the cap instead of overflowing: 2^n passes
    /// `Int64` at n = 63, long before a count could.
    public func ceilingMicroseconds(afterFailures failures: Int) -> Int64 {
        // Checked: `failures - 1` would trap at Int.min.
        let doublings = failures > 1 ? failures - 1 : 0
        // base ≥ 1, so 2^62 × base already passes any cap an Int64 can hold.
        guard doublings < 62 else { return capMicroseconds }
        let (product, overflow) = baseMicroseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? capMicroseconds : min(product, capMicroseconds)
    }

    /// The wait before the next attempt after `failures` failed attempts in a row: a uniform
    /// draw from `[0, ceiling]`, from the caller's generator (the kernel's `SplitMix64` with a
    /// seed in tests, so a schedule can be replayed).
    public func delayMicroseconds(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Int64 {
        Int64.random(in: 0...ceilingMicroseconds(afterFailures: failures), using: &generator)
    }
}

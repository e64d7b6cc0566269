import Events
import PropertyBased
import StrongroomKernel
import Testing

/// The backoff: 1 s doubling to the hour, and a jittered wait that never leaves its bound.
@Suite("Retry policy")
struct RetryPolicyTests {
    static let policy = RetryPolicy.standard

    @Test("the ceiling doubles from 1 s and stays at 1 h from the 13th failure on")
    func ceilings() {
        let seconds = (1...14).map { Self.policy.ceilingMicroseconds(afterFailures: $0) / 1_000_000 }
        #expect(seconds == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600])
        for failures in [Int.min, -1, 0] {
            #expect(Self.policy.ceilingMicroseconds(afterFailures: failures) == 1_000_000)
        }
        for failures in [62, 63, 64, 1_000, Int.max - 1, Int.max] {
            #expect(Self.policy.ceilingMicroseconds(afterFailures: failures) == 3_600_000_000)
        }
    }

    /// Failure counts near every edge: small, around the cap and around 2^62–2^64, and anything at all.
    static let failureCounts = zip(Gen.int(in: 0...3), Gen.int(in: -2...70), Gen.int()).map { pick -> Int in
        switch pick.0 {
        case 0: pick.1
        case 1: Int.max - (pick.1 & 7)
        case 2: Int.min + (pick.1 & 7)
        default: pick.2
        }
    }

    @Test("for any failure count the jittered wait is within [0, min(cap, 1 s × 2^(n-1))] and never over the cap")
    func jitterWithinBound() async {
        await propertyCheck(count: 5_000, input: Self.failureCounts, Gen.uint64()) { failures, seed in
            var generator = SplitMix64(seed: seed)
            let ceiling = Self.policy.ceilingMicroseconds(afterFailures: failures)
            // The bound worked out independently: 2^(n-1) seconds while under the cap.
            let doublings = failures > 1 ? failures - 1 : 0
            let expected: Int64 = doublings >= 12 ? 3_600_000_000 : (Int64(1_000_000) << doublings)
            #expect(ceiling == expected, "\(failures) failures")
            let delay = Self.policy.delayMicroseconds(afterFailures: failures, using: &generator)
            #expect(delay >= 0 && delay <= ceiling && delay <= Self.policy.capMicroseconds, "\(failures) failures: \(delay)")
        }
    }

    @Test("any valid custom policy keeps every wait within its own cap, however large the values")
    func customPolicies() async {
        let values = Gen.int64(in: 1...Int64.max)
        await propertyCheck(count: 3_000, input: values, values, Gen.int(), Gen.uint64()) { base, cap, failures, seed in
            guard let policy = RetryPolicy(baseMicroseconds: min(base, cap), capMicroseconds: max(base, cap), parkAfterMicroseconds: 1) else {
                Issue.record("a policy with 0 < base <= cap was refused")
                return
            }
            var generator = SplitMix64(seed: seed)
            let delay = policy.delayMicroseconds(afterFailures: failures, using: &generator)
            #expect(delay >= 0 && delay <= policy.capMicroseconds)
            #expect(policy.ceilingMicroseconds(afterFailures: failures) >= policy.baseMicroseconds)
        }
        #expect(RetryPolicy(baseMicroseconds: 0, capMicroseconds: 1, parkAfterMicroseconds: 1) == nil)
        #expect(RetryPolicy(baseMicroseconds: 2, capMicroseconds: 1, parkAfterMicroseconds: 1) == nil)
        #expect(RetryPolicy(baseMicroseconds: 1, capMicroseconds: 1, parkAfterMicroseconds: 0) == nil)
    }

    @Test("the draws spread over the whole interval, not only its ends")
    func jitterIsFull() {
        var generator = SplitMix64(seed: 27)
        let draws = (0..<2_000).map { _ in Self.policy.delayMicroseconds(afterFailures: 13, using: &generator) }
        let hour: Int64 = 3_600_000_000
        #expect(draws.contains { $0 < hour / 4 })
        #expect(draws.contains { $0 > hour / 4 * 3 })
        #expect(draws.contains { $0 > hour / 4 && $0 < hour / 4 * 3 })
    }
}

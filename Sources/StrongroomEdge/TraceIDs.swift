import StrongroomKernel
import Synchronization

/// Trace and span ids for what brings none: a request without a valid `traceparent` starts
/// a trace of its own, and every request is a span of its own.
///
/// Ids must be unique, not secret, so they are not drawn from the system generator (a system
/// call per draw, which a flood of requests would pay for every one): a process-wide counter
/// mixed by SplitMix64's finalizer from a seed drawn once. Two processes differ by their seeds;
/// one process never repeats an id before 2^64 draws. Never all zero, which W3C reserves.
public enum TraceIDs {
    private static let seed: UInt64 = {
        var system = SystemRandomNumberGenerator()
        return system.next()
    }()
    private static let counter = Atomic<UInt64>(0)

    private static func draw() -> UInt64 {
        let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        var mixer = SplitMix64(seed: seed &+ n &* 0x9E37_79B9_7F4A_7C15)
        return mixer.next()
    }

    /// True with the given probability (0 to 1): which new traces are recorded. Not secret, as
    /// the ids are not: a client learns nothing it could use from knowing the draw.
    public static func draw(probability: Double) -> Bool {
        // The top 53 bits as a fraction in [0, 1): every value of a Double's significand.
        Double(draw() >> 11) * 0x1p-53 < probability
    }

    /// 32 lowercase hex digits, not all zero.
    public static func traceID() -> String {
        var high = draw(), low = draw()
        while high == 0 && low == 0 { (high, low) = (draw(), draw()) }
        return hex(high) + hex(low)
    }

    /// 16 lowercase hex digits, not zero.
    public static func spanID() -> String {
        var value = draw()
        while value == 0 { value = draw() }
        return hex(value)
    }

    private static func hex(_ value: UInt64) -> String {
        Hex.string((0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) })
    }
}

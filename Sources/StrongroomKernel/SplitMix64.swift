/// SplitMix64 (Steele, Lea and Flood, 2014): a fast seedable generator, so a property test,
/// a concurrency workload or a bench run with a given seed draws the same values again. The
/// one copy in the project: the tests and the bench share it (the bench imports the kernel
/// for this alone). Not for secrets: it is predictable by design.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Comparing secrets (one-time codes, secret hashes, webhook signatures) without telling a
/// caller, through the time it takes, where a guess first went wrong.
public enum ConstantTime {
    /// Equal in time that depends only on the lengths, never on where the bytes differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

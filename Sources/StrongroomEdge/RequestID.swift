/// Request ids: a client's own is kept when it is safe to log and echo, otherwise one is
/// generated (API.md: `^[A-Za-z0-9._-]{1,64}$`).
public enum RequestID {
    public static func accept(_ candidate: String?) -> String {
        if let candidate, isValid(candidate) { return candidate }
        return generate()
    }

    public static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        return (1...64).contains(bytes.count) && bytes.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
    }

    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// 20 base-36 characters (about 103 bits) from two 64-bit draws, ten characters each:
    /// the system generator makes a system call per draw, and a draw per character was one
    /// of the larger costs of answering a flood of refused requests. (36^10 divides 2^64
    /// unevenly by one part in 5,000: no matter for an id that must be unique, not secret.)
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        var characters: [UInt8] = []
        characters.reserveCapacity(20)
        for _ in 0..<2 {
            var value = rng.next()
            for _ in 0..<10 {
                characters.append(alphabet[Int(value % 36)])
                value /= 36
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

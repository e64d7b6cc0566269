/// Request ids: a client's own is kept when it is safe to log and echo, otherwise one is
/// generated (API.md: `^[A-Za-z0-9._-]{1,64}$`).
enum RequestID {
    static func accept(_ candidate: String?) -> String {
        if let candidate, isValid(candidate) { return candidate }
        return generate()
    }

    static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        return (1...64).contains(bytes.count) && bytes.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
    }

    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return String(decoding: (0..<20).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
    }
}

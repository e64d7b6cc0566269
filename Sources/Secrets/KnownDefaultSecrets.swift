/// Values that appear in documentation, examples, tutorials and vendor defaults. Production
/// mode refuses to start when any secret equals one of them, and the password policy
/// refuses them as passwords.
public enum KnownDefaultSecrets {
    private static let values: Set<String> = [
        "", "admin", "administrator", "password", "password1", "password123", "passw0rd", "changeme",
        "change-me", "changeit", "secret", "secret123", "letmein", "welcome", "welcome1", "default",
        "root", "toor", "postgres", "strongroom", "strongroom123", "test", "test123", "example",
        "qwerty", "qwerty123", "123456", "12345678", "123456789", "1234567890", "111111", "000000",
        "abc123", "iloveyou", "admin123", "administrator1", "correct horse battery staple",
        "correcthorsebatterystaple", "password1234", "changemenow", "changeme123", "hunter2",
        "midaz", "lerian", "p@ssw0rd", "p@ssword", "qwertyuiop", "1q2w3e4r", "zaq12wsx",
        "supersecret", "topsecret", "mysecretpassword", "example-password", "your-password-here",
        "replace-me", "replace-with-a-real-secret",
        // The all-zero and the documented example master keys.
        String(repeating: "0", count: 64), String(repeating: "f", count: 64),
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ]

    public static func contains(_ candidate: String) -> Bool {
        values.contains(candidate.lowercased()) || values.contains(candidate)
    }
}

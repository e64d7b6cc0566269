import Identity
import StrongroomKernel
import Testing

@Suite("Passwords")
struct PasswordTests {
    let hasher = PasswordHasher(cost: 4)

    @Test func hashesVerifyAndAreSalted() {
        let a = hasher.hash("a long enough passphrase")
        let b = hasher.hash("a long enough passphrase")
        #expect(a != b)
        #expect(a.encoded.hasPrefix("$sr1$$2b$04$"))
        #expect(hasher.verify("a long enough passphrase", against: a))
        #expect(!hasher.verify("a long enough passphrasf", against: a))
        #expect(!hasher.verify("", against: a))
    }

    @Test func passwordsLongerThan72BytesAreNotTruncated() {
        let base = String(repeating: "x", count: 72)
        let hash = hasher.hash(base + "A")
        #expect(hasher.verify(base + "A", against: hash))
        #expect(!hasher.verify(base + "B", against: hash))
        #expect(!hasher.verify(base, against: hash))
    }

    @Test func aNulByteDoesNotCutThePasswordShort() {
        let hash = hasher.hash("abc\u{0}defghijklmnop")
        #expect(!hasher.verify("abc\u{0}zzzzzzzzzzzzz", against: hash))
    }

    @Test func foreignHashFormatsNeverVerify() {
        #expect(!hasher.verify("anything", against: PasswordHash(encoded: "plaintext")))
        #expect(!hasher.verify("anything", against: PasswordHash(encoded: "")))
    }

    @Test func theHashNeverPrints() {
        #expect("\(hasher.hash("a long enough passphrase"))" == "<password hash>")
    }

    @Test(arguments: [
        "short", String(repeating: "a", count: 129), "changeme", "password1234", "correct horse battery staple",
        "alice-is-my-name-ok", "aaaaaaaaaaaaaaaa",
    ])
    func weakPasswordsAreRefused(password: String) throws {
        #expect(throws: StrongroomError(.weakPassword, "")) {
            try PasswordPolicy.check(password, username: Username("alice"))
        }
    }

    @Test func aGoodPasswordPasses() throws {
        try PasswordPolicy.check("vault-Kestrel-91-harbour", username: Username("alice"))
        try PasswordPolicy.check(String(repeating: "ab1!", count: 32), username: Username("alice"))
    }

    @Test func usernamesAreFoldedAndBounded() throws {
        #expect(try Username("Alice.Smith@Bank").value == "alice.smith@bank")
        for bad in ["ab", "has space", "semi;colon", String(repeating: "a", count: 65), "ünïcode", ""] {
            #expect(throws: StrongroomError.self) { try Username(bad) }
        }
    }
}

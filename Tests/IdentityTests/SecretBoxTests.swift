import Secrets
import StrongroomKernel
import Testing

@Suite("Sealed secrets")
struct SecretBoxTests {
    @Test func sealedValuesOpenOnlyWithTheirKeyPurposeAndContext() throws {
        let key = MasterKey.generate()
        let box = SecretBox(masterKey: key)
        let sealed = try box.seal(Array("private key bytes".utf8), purpose: .signingKey, context: "kid-1")
        #expect(try box.open(sealed, purpose: .signingKey, context: "kid-1") == Array("private key bytes".utf8))
        #expect(throws: SecretsError.sealedValueCorrupt) { try box.open(sealed, purpose: .signingKey, context: "kid-2") }
        #expect(throws: SecretsError.sealedValueCorrupt) {
            try box.open(sealed, purpose: SealPurpose(rawValue: "other"), context: "kid-1")
        }
        #expect(throws: SecretsError.sealedValueCorrupt) {
            try SecretBox(masterKey: MasterKey.generate()).open(sealed, purpose: .signingKey, context: "kid-1")
        }
        var tampered = sealed
        tampered[20] ^= 1
        #expect(throws: SecretsError.sealedValueCorrupt) { try box.open(tampered, purpose: .signingKey, context: "kid-1") }
        #expect(throws: SecretsError.sealedValueCorrupt) { try box.open([], purpose: .signingKey, context: "kid-1") }
    }

    @Test func theMasterKeyParsesHexAndBase64AndRefusesTheRest() throws {
        let key = MasterKey.generate()
        let reparsed = try MasterKey(text: key.encoded.revealed + "\n")
        let box = SecretBox(masterKey: key)
        let sealed = try box.seal([1, 2, 3], purpose: .signingKey, context: "c")
        #expect(try SecretBox(masterKey: reparsed).open(sealed, purpose: .signingKey, context: "c") == [1, 2, 3])
        _ = try MasterKey(text: "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=")
        #expect(throws: SecretsError.malformedMasterKey) { try MasterKey(text: "too short") }
        #expect(throws: SecretsError.malformedMasterKey) { try MasterKey(text: String(repeating: "g", count: 64)) }
        #expect(throws: SecretsError.weakMasterKey) { try MasterKey(text: String(repeating: "0", count: 64)) }
    }

    @Test func secretsNeverPrint() {
        let secret = SecretValue("hunter2-but-longer")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(KnownDefaultSecrets.contains("ChangeMe"))
        #expect(!KnownDefaultSecrets.contains("vault-Kestrel-91-harbour"))
    }
}

import Audit
import Foundation
import StrongroomKernel
import Testing

/// Signed checkpoints: the C2SP note format, the verifier key, and what refuses to open.
@Suite("Audit checkpoints")
struct CheckpointTests {
    static let seed = [UInt8](repeating: 7, count: 32)
    static let checkpoint = AuditCheckpoint(origin: "bank.example/audit", size: 42, headHash: String(repeating: "ab", count: 32))

    @Test func aSignedNoteOpensWithItsKey() throws {
        let signer = try CheckpointSigner(name: "bank.example/audit", seed: Self.seed)
        let note = try signer.sign(Self.checkpoint)
        #expect(note.hasPrefix("bank.example/audit\n42\n\(Data(repeating: 0xab, count: 32).base64EncodedString())\n\n\u{2014} bank.example/audit "))
        let verifier = try #require(CheckpointVerifier(verifierKey: signer.verifierKey))
        #expect(verifier.open(note) == Self.checkpoint)
    }

    @Test func anEditedNoteOrAnotherKeyDoesNotOpen() throws {
        let signer = try CheckpointSigner(name: "bank.example/audit", seed: Self.seed)
        let note = try signer.sign(Self.checkpoint)
        let verifier = try #require(CheckpointVerifier(verifierKey: signer.verifierKey))
        #expect(verifier.open(note.replacingOccurrences(of: "\n42\n", with: "\n43\n")) == nil)
        let other = try CheckpointSigner(name: "bank.example/audit", seed: [UInt8](repeating: 9, count: 32))
        #expect(verifier.open(try other.sign(Self.checkpoint)) == nil)
        let renamed = try CheckpointSigner(name: "other.example/audit", seed: Self.seed)
        #expect(verifier.open(try renamed.sign(Self.checkpoint)) == nil)
        #expect(verifier.open("") == nil)
        #expect(verifier.open(Self.checkpoint.body) == nil)
    }

    /// Base64 may hold '+', the field separator of a verifier key: every key must still parse.
    @Test func everyKeyRoundTripsThroughItsVerifierKey() throws {
        for byte in UInt8(0)..<64 {
            let signer = try CheckpointSigner(name: "bank.example/audit", seed: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) * 31 + Int(byte)) })
            let verifier = try #require(CheckpointVerifier(verifierKey: signer.verifierKey), "\(signer.verifierKey)")
            #expect(verifier.open(try signer.sign(Self.checkpoint)) == Self.checkpoint)
        }
    }

    @Test func verifierKeysMustBeWellFormed() throws {
        let key = try CheckpointSigner(name: "bank.example/audit", seed: Self.seed).verifierKey
        #expect(CheckpointVerifier(verifierKey: key) != nil)
        let parts = key.split(separator: "+").map(String.init)
        #expect(CheckpointVerifier(verifierKey: "\(parts[0])+00000000+\(parts[2])") == nil, "a key id that does not match")
        #expect(CheckpointVerifier(verifierKey: "x+\(parts[1])+\(parts[2])") == nil, "another name")
        #expect(CheckpointVerifier(verifierKey: "garbage") == nil)
        #expect(throws: AuditError.invalidKeyName) { try CheckpointSigner(name: "has space", seed: Self.seed) }
    }

    @Test func aDirectoryKeepsOneKeyAndWholeFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = CheckpointDirectory(path: path)
        let signer = try CheckpointSigner(name: "bank.example/audit", seed: Self.seed)
        try directory.prepare(verifierKey: signer.verifierKey)
        try directory.prepare(verifierKey: signer.verifierKey)
        let other = try CheckpointSigner(name: "bank.example/audit", seed: [UInt8](repeating: 9, count: 32))
        #expect(throws: AuditError.self) { try directory.prepare(verifierKey: other.verifierKey) }
        try directory.write(note: try signer.sign(Self.checkpoint), size: 42)
        let verifier = try #require(CheckpointVerifier(verifierKey: signer.verifierKey))
        #expect(try directory.checkpoints(verifier: verifier).get() == [Self.checkpoint])
        // A note of another key under a checkpoint name is reported, not skipped.
        try directory.write(note: try other.sign(Self.checkpoint), size: 50)
        guard case .failure(let failure) = try directory.checkpoints(verifier: verifier) else {
            Issue.record("a foreign checkpoint was accepted"); return
        }
        #expect(failure.firstBadSeq == 50)
    }
}

import Crypto
import Foundation
import StrongroomKernel

/// A claim about the chain at one moment: `size` records, the last with hash `headHash`.
/// Its body is the C2SP `tlog-checkpoint` body (origin line, size line, base64 hash line);
/// the hash is the chain's head rather than a Merkle root, which is all a hash chain has.
public struct AuditCheckpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int64
    /// Lowercase hex of 32 bytes.
    public let headHash: String

    public init(origin: String, size: Int64, headHash: String) {
        self.origin = origin
        self.size = size
        self.headHash = headHash
    }

    /// The note body the signature covers.
    public var body: String {
        "\(origin)\n\(size)\n\(Data(Hex.bytes(headHash) ?? []).base64EncodedString())\n"
    }

    /// Parses a note body; nil unless it is exactly three well-formed lines.
    init?(body: Substring) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty, CheckpointKeyName.isValid(String(lines[0])),
            let size = Int64(lines[1]), size >= 1, String(size) == lines[1],
            let hash = Data(base64Encoded: String(lines[2])), hash.count == 32
        else { return nil }
        self.init(origin: String(lines[0]), size: size, headHash: Hex.string(hash))
    }
}

/// Signs checkpoints as C2SP signed notes with an Ed25519 key named after the log's origin.
public struct CheckpointSigner: Sendable {
    public let name: String
    private let key: Curve25519.Signing.PrivateKey

    /// - Parameter seed: the Ed25519 private key's 32 bytes.
    public init(name: String, seed: [UInt8]) throws {
        guard CheckpointKeyName.isValid(name) else { throw AuditError.invalidKeyName }
        self.name = name
        self.key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// The note verifier key, `<name>+<key id hex>+<base64(0x01 ‖ public key)>`, that
    /// `CheckpointVerifier` reads and a reviewer pins.
    public var verifierKey: String {
        let publicKey = Array(key.publicKey.rawRepresentation)
        return "\(name)+\(Hex.string(CheckpointKeyName.keyID(name: name, publicKey: publicKey)))+\(Data([0x01] + publicKey).base64EncodedString())"
    }

    /// The signed note: body, a blank line, one signature line.
    public func sign(_ checkpoint: AuditCheckpoint) throws -> String {
        let body = checkpoint.body
        let signature = try key.signature(for: Array(body.utf8))
        let keyID = CheckpointKeyName.keyID(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        return body + "\n" + "\u{2014} \(name) \(Data(keyID + Array(signature)).base64EncodedString())\n"
    }
}

/// Opens signed checkpoints with one pinned verifier key.
public struct CheckpointVerifier: Sendable {
    public let name: String
    let keyID: [UInt8]
    let key: Curve25519.Signing.PublicKey

    /// Parses a note verifier key; nil unless it is a well-formed Ed25519 key whose id
    /// matches its name and public key.
    public init?(verifierKey text: String) {
        // The base64 key may itself hold '+': only the first two separate fields.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, CheckpointKeyName.isValid(String(parts[0])),
            let keyID = Hex.bytes(String(parts[1])), keyID.count == 4,
            let encoded = Data(base64Encoded: String(parts[2])), encoded.count == 33, encoded.first == 0x01,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: encoded.dropFirst())
        else { return nil }
        guard CheckpointKeyName.keyID(name: String(parts[0]), publicKey: Array(encoded.dropFirst())) == keyID else { return nil }
        self.name = String(parts[0])
        self.keyID = keyID
        self.key = key
    }

    /// The checkpoint a note carries, or nil unless the note is well formed, has a
    /// signature line for this key, and that signature verifies.
    public func open(_ note: String) -> AuditCheckpoint? {
        guard let split = note.range(of: "\n\n") else { return nil }
        let body = note[..<split.lowerBound] + "\n"
        guard let checkpoint = AuditCheckpoint(body: body[...]), checkpoint.origin == name else { return nil }
        let prefix = "\u{2014} \(name) "
        for line in note[split.upperBound...].split(separator: "\n") where line.hasPrefix(prefix) {
            guard let blob = Data(base64Encoded: String(line.dropFirst(prefix.count))), blob.count == 4 + 64,
                Array(blob.prefix(4)) == keyID
            else { continue }
            if key.isValidSignature(blob.dropFirst(4), for: Array(body.utf8)) { return checkpoint }
        }
        return nil
    }
}

/// Signed-note key names and ids (C2SP signed-note).
enum CheckpointKeyName {
    /// Non-empty, no white space, no `+`.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256 && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
    }

    /// The first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
    static func keyID(name: String, publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4))
    }
}

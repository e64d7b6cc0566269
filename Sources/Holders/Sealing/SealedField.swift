import Foundation

/// One personal field sealed with AES-256-GCM under its holder's data key, as the store keeps
/// it: `format(1) ‖ data key version(4) ‖ nonce(12) ‖ ciphertext ‖ tag(16)` as bytes, or that
/// in standard base64 as text. The ciphertext is as long as the value's UTF-8. Only
/// `FieldSealer` makes and opens one.
public struct SealedField: Sendable, Equatable {
    static let formatVersion: UInt8 = 1
    static let headerBytes = 1 + 4
    static let nonceBytes = 12
    static let tagBytes = 16
    /// The longest stored form: the longest value `FieldSealer` seals and the overhead.
    public static let maxEncodedBytes = FieldSealer.maxValueBytes + headerBytes + nonceBytes + tagBytes

    public let dataKeyVersion: KeyVersion
    let nonce: [UInt8]
    let ciphertext: [UInt8]
    let tag: [UInt8]

    init(dataKeyVersion: KeyVersion, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.dataKeyVersion = dataKeyVersion
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// Parses the stored bytes; `malformedSealedField` for anything else.
    public init(bytes: [UInt8]) throws(HolderSealingError) {
        let overhead = Self.headerBytes + Self.nonceBytes + Self.tagBytes
        guard bytes.count >= overhead, bytes.count <= Self.maxEncodedBytes, bytes[0] == Self.formatVersion,
              let version = KeyVersion.read(bytes, at: 1)
        else { throw .malformedSealedField }
        let nonceEnd = Self.headerBytes + Self.nonceBytes
        let tagStart = bytes.count - Self.tagBytes
        self.init(
            dataKeyVersion: version,
            nonce: Array(bytes[Self.headerBytes..<nonceEnd]),
            ciphertext: Array(bytes[nonceEnd..<tagStart]),
            tag: Array(bytes[tagStart...])
        )
    }

    /// Parses the stored base64 text; `malformedSealedField` for anything else.
    public init(text: String) throws(HolderSealingError) {
        // Base64 is 4 characters for 3 bytes: a longer text cannot be a sealed field, and is
        // refused before it is decoded.
        guard text.utf8.count <= (Self.maxEncodedBytes / 3 + 1) * 4, let data = Data(base64Encoded: text) else {
            throw .malformedSealedField
        }
        try self.init(bytes: Array(data))
    }

    public var bytes: [UInt8] { [Self.formatVersion] + dataKeyVersion.bytes + nonce + ciphertext + tag }

    public var text: String { Data(bytes).base64EncodedString() }
}

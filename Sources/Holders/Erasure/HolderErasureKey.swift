import Crypto

/// The key that authenticates each line of the erasure record (`HolderErasureRecord`):
/// HMAC-SHA256 under a key derived from the master key for this one purpose, so every
/// process sharing the master key writes and checks lines alike, and a line written or
/// edited without it does not verify. It never prints its bytes.
public struct HolderErasureKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let key: SymmetricKey

    /// From the 32 bytes the master key derives for the erasure record
    /// (`SecretBox.derivedSeed(purpose:)` with `SealPurpose.holderErasureRecord`).
    public init(seed: [UInt8]) {
        key = SymmetricKey(data: seed)
    }

    /// The MAC of a line's fields, each length-prefixed so no two lists of fields sign alike.
    func mac(_ fields: [String]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: BoundContext.bytes("strongroom.holders.erasure-record", fields.map { Array($0.utf8) }), using: key))
    }

    public var description: String { "HolderErasureKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

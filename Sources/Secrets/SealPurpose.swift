/// What a sealed value is for; part of the key derivation and of the authenticated data.
public struct SealPurpose: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let signingKey = SealPurpose(rawValue: "identity.signing-key")
}

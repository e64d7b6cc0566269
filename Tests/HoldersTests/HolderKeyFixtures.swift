import Holders
import PropertyBased
import Secrets

/// Master keys, organizations and holders the sealing tests share: two organizations, each
/// with a key-encryption key (version 1) and a blind index key, sealed under one master key.
enum HolderKeyFixtures {
    static let organizationA = "019300aa-0000-7000-8000-00000000000a"
    static let organizationB = "019300bb-0000-7000-8000-00000000000b"
    static let holder = "01930001-0000-7000-8000-000000000001"
    static let otherHolder = "01930002-0000-7000-8000-000000000002"

    static let masterKey: MasterKey = {
        // Bytes 1...32: not constant, so MasterKey takes them.
        guard let key = try? MasterKey(bytes: (1...32).map { UInt8($0) }) else { preconditionFailure("fixture master key") }
        return key
    }()

    static let box = SecretBox(masterKey: masterKey)

    static func sealedKeys(for organizations: [String] = [organizationA, organizationB]) throws -> [SealedOrganizationKey] {
        try organizations.flatMap { organization in
            try SealedOrganizationKey.Kind.allCases.map { kind in
                try SealedOrganizationKey.generate(kind, organizationID: organization, version: .first, sealingWith: box)
            }
        }
    }

    static func provider() throws -> MasterKeyProvider {
        try MasterKeyProvider(secretBox: box, sealedKeys: sealedKeys())
    }

    /// A fixed data key, so two tests can make the same one.
    static func dataKey(_ fill: UInt8 = 7, version: KeyVersion = .first) -> HolderDataKey {
        guard let key = HolderDataKey(bytes: (0..<32).map { fill &+ UInt8($0) }, version: version) else {
            preconditionFailure("32 bytes")
        }
        return key
    }

    /// Any character: mostly letters and digits, with separators, `@`, `*`, combining marks,
    /// emoji with joiners and, one draw in five, any scalar at all, so grapheme clusters of
    /// every shape occur in the strings made of them.
    static let anyCharacter: Generator<Character, Shrink.Integer<UInt32>> = {
        let common: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + [
            "@", "*", " ", "-", ".", "/", "\u{301}", "\u{200D}", "\u{1F468}", "\u{1F469}\u{200D}\u{1F467}", "é", "e\u{301}",
            "ß", "İ", "\u{0661}", "\n", "\u{0}", "\u{FEFF}",
        ]
        let scalars: UInt32 = 0x11_0000
        return Gen<UInt32>.value(in: 0...(scalars * 5 - 1)).map { draw in
            guard draw >= scalars * 4 else { return common[Int(draw) % common.count] }
            return Character(Unicode.Scalar(draw - scalars * 4) ?? "?")
        }
    }()
}

/// Why a holder's key or personal field could not be used. No case carries a personal value
/// or a key, so a description can go into a log or a problem body as it is: what failed is
/// named by organization id, key kind and version, or field name, never by content.
public enum HolderSealingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key-encryption key of this organization (at this version, when one is named).
    case noKeyEncryptionKey(organizationID: String, version: KeyVersion?)
    case noBlindIndexKey(organizationID: String)
    /// Two sealed keys of one organization, kind and version were given.
    case duplicateOrganizationKey(organizationID: String, kind: SealedOrganizationKey.Kind, version: KeyVersion)
    /// A sealed organization key did not open: another master key sealed it, or the row was
    /// altered or moved to another organization, kind or version.
    case organizationKeyDoesNotOpen(organizationID: String, kind: SealedOrganizationKey.Kind, version: KeyVersion)
    /// A wrapped data key did not open: it belongs to another holder, organization or key
    /// version, or it was altered.
    case dataKeyDoesNotOpen
    /// A sealed field did not open: it belongs to another holder, field or data key, or it was
    /// altered. Which of these is deliberately not told apart.
    case fieldDoesNotOpen(PersonalFieldName)
    case malformedWrappedDataKey
    case malformedSealedField
    /// A value longer than `FieldSealer.maxValueBytes` bytes of UTF-8.
    case valueTooLong(PersonalFieldName, limitBytes: Int)
    /// The cryptographic library refused to seal (it never does for a 256-bit key; kept
    /// typed rather than trapping).
    case sealingFailed

    public var description: String {
        switch self {
        case .noKeyEncryptionKey(let organization, let version):
            "organization \(organization) has no key-encryption key" + (version.map { " \($0)" } ?? "")
        case .noBlindIndexKey(let organization):
            "organization \(organization) has no blind index key"
        case .duplicateOrganizationKey(let organization, let kind, let version):
            "organization \(organization) has two \(kind.rawValue) keys \(version)"
        case .organizationKeyDoesNotOpen(let organization, let kind, let version):
            "the \(kind.rawValue) key \(version) of organization \(organization) could not be opened: the master key is not the one that sealed it, or the stored key was altered"
        case .dataKeyDoesNotOpen:
            "a holder's data key could not be unwrapped: it belongs to another holder, organization or key version, or it was altered"
        case .fieldDoesNotOpen(let field):
            "the sealed field \(field) could not be opened: it belongs to another holder, field or data key, or it was altered"
        case .malformedWrappedDataKey: "a wrapped data key is not in the stored format"
        case .malformedSealedField: "a sealed field is not in the stored format"
        case .valueTooLong(let field, let limit): "the value of \(field) is longer than \(limit) bytes"
        case .sealingFailed: "a value could not be sealed"
        }
    }
}

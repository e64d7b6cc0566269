import Holders
import StrongroomKernel

/// A holder as the store keeps it (`holders` and `holder_fields`: `HolderSchema`): what is not
/// personal data in clear, and every personal field sealed. Nothing here opens a field; the
/// caller unwraps `wrappedDataKey` through a `HolderKeyProvider` and opens the fields with a
/// `FieldSealer`. An erased holder has no wrapped key, no fields and no look-up terms.
public struct StoredHolder: Sendable, Equatable {
    /// Midaz's holder type.
    public enum Kind: String, Sendable, CaseIterable {
        case naturalPerson = "NATURAL_PERSON"
        case legalPerson = "LEGAL_PERSON"
    }

    public let id: String
    public let organizationID: String
    public let kind: Kind
    public var externalID: String?
    /// JSON text, stored as given: not personal data (the docs say none may go there).
    public var metadata: String
    /// Nil once the holder is erased.
    public var wrappedDataKey: WrappedDataKey?
    /// Each personal field the holder has, sealed under the data key, by its name.
    public var fields: [PersonalFieldName: SealedField]
    /// The `BlindIndex` terms of the email and document, and the index key's version they
    /// were made under.
    public var emailTerm: String?
    public var documentTerm: String?
    public var blindIndexVersion: KeyVersion?
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    public var deletedAt: Timestamp?
    public var erasedAt: Timestamp?

    public init(
        id: String, organizationID: String, kind: Kind, externalID: String?, metadata: String, wrappedDataKey: WrappedDataKey?,
        fields: [PersonalFieldName: SealedField], emailTerm: String?, documentTerm: String?, blindIndexVersion: KeyVersion?,
        createdAt: Timestamp, updatedAt: Timestamp, deletedAt: Timestamp? = nil, erasedAt: Timestamp? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.kind = kind
        self.externalID = externalID
        self.metadata = metadata
        self.wrappedDataKey = wrappedDataKey
        self.fields = fields
        self.emailTerm = emailTerm
        self.documentTerm = documentTerm
        self.blindIndexVersion = blindIndexVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.erasedAt = erasedAt
    }
}

import StrongroomKernel

/// One erasure as the erasure record keeps it (`HolderErasureRecord`): which holder of which
/// organization, and when. Ids and a time only: nothing of the person, so the record may sit
/// beside the audit checkpoints and be copied about as they are.
///
/// A line of the record is `v1 <erased at, RFC 3339> <organization id> <holder id> <MAC>`
/// and a newline, the MAC being `HolderErasureKey`'s over the four fields before it.
public struct HolderErasureEntry: Sendable, Hashable {
    /// Whose erasure: a holder within its organization, as the store finds it.
    public struct Subject: Sendable, Hashable {
        public let organizationID: String
        public let holderID: String

        public init(organizationID: String, holderID: String) {
            self.organizationID = organizationID
            self.holderID = holderID
        }
    }

    static let formatVersion = "v1"

    public let subject: Subject
    public let erasedAt: Timestamp

    public var organizationID: String { subject.organizationID }
    public var holderID: String { subject.holderID }

    /// Nil unless both ids are canonical (`CanonicalID`): a line is then split on spaces
    /// without ambiguity, and an id that names nothing is never recorded.
    public init?(organizationID: String, holderID: String, erasedAt: Timestamp) {
        guard CanonicalID.isValid(organizationID), CanonicalID.isValid(holderID) else { return nil }
        self.subject = Subject(organizationID: organizationID, holderID: holderID)
        self.erasedAt = erasedAt
    }

    /// The entry's line, newline included, authenticated with `key`.
    public func line(signedWith key: HolderErasureKey) -> String {
        let fields = [Self.formatVersion, RFC3339.format(erasedAt), organizationID, holderID]
        return fields.joined(separator: " ") + " " + Hex.string(key.mac(fields)) + "\n"
    }
}

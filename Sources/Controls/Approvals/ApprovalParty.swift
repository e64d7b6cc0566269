import StrongroomKernel

/// Who makes or decides an approval request. A person is a local user, or a caller an outside
/// identity provider vouched for, known by its issuer and subject; a machine client is not a
/// person. Two values that are equal are the same party: the route resolves a caller to the
/// user an administrator linked its issuer and subject to before asking, so a linked person
/// is `.user` whichever way they signed in and cannot count twice.
public enum ApprovalParty: Sendable, Hashable, CustomStringConvertible {
    case user(id: String)
    case external(issuer: String, subject: String)
    case client(id: String)

    /// Whether the party is a person, who may approve; a machine client may only make.
    public var isPerson: Bool {
        switch self {
        case .user, .external: true
        case .client: false
        }
    }

    public var description: String {
        switch self {
        case .user(let id): "user \(id)"
        case .external(let issuer, let subject): "\(subject) at \(issuer)"
        case .client(let id): "client \(id)"
        }
    }
}

extension ApprovalParty: SortedJSONWritable {
    /// `{"id":…,"kind":"user"}`, `{"issuer":…,"kind":"external","subject":…}` or
    /// `{"id":…,"kind":"client"}`: keys in sorted order, for the content digest.
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        switch self {
        case .user(let id):
            json.member("id", id)
            json.member("kind", "user")
        case .external(let issuer, let subject):
            json.member("issuer", issuer)
            json.member("kind", "external")
            json.member("subject", subject)
        case .client(let id):
            json.member("id", id)
            json.member("kind", "client")
        }
        json.endObject()
    }
}

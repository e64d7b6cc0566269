/// Who holds a token: a person, a machine client, or a caller an outside identity provider
/// vouched for (known here only by the id derived from its issuer and subject).
public enum PrincipalKind: String, Sendable, Hashable, Codable {
    case user
    case client
    case external
}

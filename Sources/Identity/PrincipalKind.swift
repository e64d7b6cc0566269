/// Who holds a token: a person, or (later) a machine client.
public enum PrincipalKind: String, Sendable, Hashable, Codable {
    case user
    case client
}

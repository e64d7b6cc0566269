/// What the modulus check says of a sort code and account number.
public enum ModulusCheckResult: Equatable, Sendable {
    case valid
    case invalid(ModulusCheckFailure)

    public var isValid: Bool { self == .valid }
}

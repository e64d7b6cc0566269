/// Why bank details failed the check: three reasons, each its own answer to a client.
public enum ModulusCheckFailure: Equatable, Sendable {
    /// Which of the two was not in the standard form.
    public enum Field: String, Sendable {
        case sortCode
        case accountNumber
    }

    /// The sort code is not six ASCII digits, or the account number not eight.
    case format(Field)
    /// No row of the weight table covers the sort code, so it cannot be checked.
    case unknownSortCode
    /// The account number fails its sort code's checks.
    case modulus
}

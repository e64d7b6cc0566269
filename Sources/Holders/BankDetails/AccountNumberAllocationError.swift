/// Why no account number could be allocated.
public enum AccountNumberAllocationError: Error, Equatable, Sendable {
    /// No row of the weight table covers the sort code.
    case unknownSortCode(SortCode)
    /// The starting number is not within 0...99999999.
    case startOutOfRange(Int)
    /// None of the candidates tried passed the check.
    case noPassingNumber(sortCode: SortCode, attempts: Int)
}

/// How one leg of a transaction side takes its part of the transaction's value: a fixed
/// amount, a share of the value, or whatever the other legs leave.
public enum Allocation: Sendable, Equatable {
    case amount(Amount)
    /// `percentage` % of the value, and of that `percentageOfPercentage` % (Midaz's share;
    /// 100 when absent). Both whole numbers from 1 to 100.
    case share(percentage: Int, percentageOfPercentage: Int)
    case remaining
}

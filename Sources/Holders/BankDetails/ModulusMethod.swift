/// How a row of Vocalink's weight table checks a number: each of the fourteen digits (the
/// sort code's six, then the account number's eight) is multiplied by its weight, the
/// products are summed, and the sum must leave no remainder.
public enum ModulusMethod: String, Sendable, CaseIterable {
    /// The sum of the products, modulo 10.
    case mod10 = "MOD10"
    /// The sum of the products, modulo 11.
    case mod11 = "MOD11"
    /// Double alternate: the sum of the digits of the products (16 counts 1 + 6), modulo 10.
    case doubleAlternate = "DBLAL"
}

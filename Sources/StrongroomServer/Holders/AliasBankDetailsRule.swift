import Holders
import Storage
import StrongroomKernel

/// What bank details a holder alias keeps, decided from what the body gave and the ledger's
/// `bankDetails` setting, with no I/O.
///
/// On a ledger with UK bank details, Midaz's `bankingDetails` carries them so: `branch` is
/// the sort code and `account` the account number, in Vocalink's standard form (six and
/// eight ASCII digits, no dashes or spaces), and `countryCode` is `GB` (set when left out).
/// Both must pass the modulus check with the loaded tables: a sort code or account number
/// not in that form answers SR-4010, a sort code no row of the weight table covers SR-4011
/// (Vocalink would leave such a number unchecked; a UK ledger refuses what it cannot
/// check), a number that fails SR-4012, all 422. A body that gives the sort code and no
/// account number asks for one to be allocated (`Outcome.allocate`). On any other ledger
/// the fields are free text, bounded, and no UK check applies.
struct AliasBankDetailsRule: Sendable {
    /// The longest text a bank detail field may hold (an IBAN has at most 34 characters).
    static let maxFieldLength = 64
    static let ukCountryCode = "GB"

    enum Outcome: Equatable, Sendable {
        /// The details to store.
        case ready(StoredHolderAlias.BankDetails)
        /// Store these details with an account number allocated under this sort code.
        case allocate(SortCode, StoredHolderAlias.BankDetails)
    }

    let checker: ModulusChecker

    /// - Parameter allowAllocation: whether a sort code without an account number asks for
    ///   one (a create) rather than being incomplete (a change of an alias that has one).
    func resolve(_ given: AliasBankingDetails?, ukLedger: Bool, allowAllocation: Bool) throws(StrongroomError) -> Outcome {
        let given = given ?? AliasBankingDetails()
        for (field, value) in [
            ("branch", given.branch), ("account", given.account), ("bankId", given.bankId), ("iban", given.iban),
            ("countryCode", given.countryCode), ("type", given.type), ("openingDate", given.openingDate), ("closingDate", given.closingDate),
        ] {
            guard let value, value.count > Self.maxFieldLength else { continue }
            throw Self.invalid(.invalidValue, field, "must be at most \(Self.maxFieldLength) characters")
        }
        var details = StoredHolderAlias.BankDetails(
            bankID: given.bankId, iban: given.iban, countryCode: given.countryCode, accountType: given.type,
            openingDate: given.openingDate, closingDate: given.closingDate
        )
        guard ukLedger else {
            details.branch = given.branch
            details.account = given.account
            return .ready(details)
        }
        if let country = given.countryCode, country != Self.ukCountryCode {
            throw Self.invalid(.bankDetailsFormat, "countryCode", "must be \(Self.ukCountryCode) on a ledger with UK bank details")
        }
        details.countryCode = Self.ukCountryCode
        guard let branch = given.branch else {
            throw Self.invalid(.bankDetailsFormat, "branch", "is required: the sort code, on a ledger with UK bank details")
        }
        guard let sortCode = SortCode(branch) else {
            throw Self.invalid(.bankDetailsFormat, "branch", "must be a sort code of six digits, with no dashes or spaces")
        }
        details.sortCode = sortCode.description
        guard let account = given.account else {
            guard allowAllocation else {
                throw Self.invalid(.bankDetailsFormat, "account", "is required: the account number, on a ledger with UK bank details")
            }
            guard !checker.weights.rows(covering: sortCode).isEmpty else { throw Self.unknownSortCode }
            return .allocate(sortCode, details)
        }
        guard let number = UKAccountNumber(account) else {
            throw Self.invalid(.bankDetailsFormat, "account", "must be an account number of eight digits, with no dashes or spaces")
        }
        switch checker.check(sortCode, number) {
        case .valid:
            details.accountNumber = number.description
            return .ready(details)
        case .invalid(.unknownSortCode):
            throw Self.unknownSortCode
        case .invalid(.modulus):
            throw Self.invalid(.modulusCheckFailed, "account", "fails the modulus check of its sort code")
        case .invalid(.format(let field)):
            // Both were read in the standard form above; kept for completeness.
            throw Self.invalid(.bankDetailsFormat, field == .sortCode ? "branch" : "account", "is not in the standard form")
        }
    }

    private static let unknownSortCode = invalid(
        .unknownSortCode, "branch", "is a sort code the modulus tables do not cover, so its account numbers cannot be checked"
    )

    private static func invalid(_ code: ErrorCode, _ field: String, _ message: String) -> StrongroomError {
        let path = "bankingDetails.\(field)"
        return StrongroomError(code, "Field '\(path)' \(message).", fields: [.init(field: path, message: message)])
    }
}

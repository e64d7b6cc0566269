import Storage
import StrongroomEdge

/// Midaz's `BankingDetails` of a holder alias, as a body sends them and an answer shows
/// them. On a ledger with UK bank details (`settings.bankDetails: "uk"`), `branch` is the
/// sort code (six digits, no dashes), `account` the account number (eight digits) and
/// `countryCode` `GB` (`AliasBankDetailsRule`); on any other ledger each field is free text.
/// `null` is a field left out; in a PATCH, a field left as it was.
struct AliasBankingDetails: Codable, Sendable, Equatable {
    var branch: String?
    var account: String?
    var bankId: String?
    var iban: String?
    var countryCode: String?
    var type: String?
    var openingDate: String?
    var closingDate: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case branch, account, bankId, iban, countryCode, type, openingDate, closingDate
    }

    static var shape: BodyShape { .object(CodingKeys.self) }

    /// These details with the fields `change` gives put in place of theirs.
    func merging(_ change: AliasBankingDetails) -> AliasBankingDetails {
        AliasBankingDetails(
            branch: change.branch ?? branch, account: change.account ?? account, bankId: change.bankId ?? bankId,
            iban: change.iban ?? iban, countryCode: change.countryCode ?? countryCode, type: change.type ?? type,
            openingDate: change.openingDate ?? openingDate, closingDate: change.closingDate ?? closingDate
        )
    }
}

extension AliasBankingDetails {
    /// The details as the alias holds them, in the body's fields (a UK alias's sort code as
    /// `branch`, its account number as `account`).
    init(stored details: StoredHolderAlias.BankDetails) {
        self.init(
            branch: details.sortCode ?? details.branch, account: details.accountNumber ?? details.account, bankId: details.bankID,
            iban: details.iban, countryCode: details.countryCode, type: details.accountType, openingDate: details.openingDate,
            closingDate: details.closingDate
        )
    }
}

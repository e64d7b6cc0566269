import StrongroomKernel

/// A ledger's settings, in Midaz v3.8's `settings` object. Strongroom keeps one:
/// `bankDetails`, which says what bank details the holder aliases of the ledger's accounts
/// carry. `"uk"` requires a UK sort code and account number on each alias, checked by
/// Vocalink's modulus rules; absent, an alias's bank details are free text. It is set when
/// the ledger is created and fixed from then on: aliases made under one rule must not find
/// themselves under another (`Onboarding.updateLedger` refuses a change, 422 SR-4014).
/// Midaz's own `accounting` settings are not implemented (null only).
public struct LedgerSettings: Sendable, Equatable, Codable {
    /// The one value `bankDetails` may hold.
    public static let ukBankDetails = "uk"

    public var bankDetails: String?

    public init(bankDetails: String? = nil) { self.bankDetails = bankDetails }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case bankDetails
    }

    /// Whether the ledger's aliases carry checked UK bank details.
    public var requiresUKBankDetails: Bool { bankDetails == Self.ukBankDetails }

    /// Refuses a value Strongroom does not know (422, SR-2025), naming `settings.bankDetails`.
    public func validate() throws(StrongroomError) {
        guard let value = bankDetails, value != Self.ukBankDetails else { return }
        let message = "must be \"\(Self.ukBankDetails)\" or left out"
        throw StrongroomError(.invalidValue, "Field 'settings.bankDetails' \(message).", fields: [.init(field: "settings.bankDetails", message: message)])
    }

    /// The settings with nothing set are no settings: a ledger without any has none to show.
    var orNilWhenEmpty: LedgerSettings? { bankDetails == nil ? nil : self }
}

import StrongroomKernel

/// A holder alias as the store keeps it (`holder_aliases`: `HolderAliasSchema`): the link of
/// a holder to a ledger account, with the account's bank details in Midaz's `bankingDetails`
/// fields. Nothing here is a person's data.
public struct StoredHolderAlias: Sendable, Equatable {
    /// The bank details: on a ledger with UK bank details, `sortCode` and `accountNumber`
    /// (checked, six and eight digits) and never `branch` or `account`; on any other
    /// ledger, Midaz's free `branch` and `account`.
    public struct BankDetails: Sendable, Equatable {
        public var sortCode: String?
        public var accountNumber: String?
        public var branch: String?
        public var account: String?
        public var bankID: String?
        public var iban: String?
        public var countryCode: String?
        public var accountType: String?
        public var openingDate: String?
        public var closingDate: String?

        public init(
            sortCode: String? = nil, accountNumber: String? = nil, branch: String? = nil, account: String? = nil, bankID: String? = nil,
            iban: String? = nil, countryCode: String? = nil, accountType: String? = nil, openingDate: String? = nil,
            closingDate: String? = nil
        ) {
            self.sortCode = sortCode
            self.accountNumber = accountNumber
            self.branch = branch
            self.account = account
            self.bankID = bankID
            self.iban = iban
            self.countryCode = countryCode
            self.accountType = accountType
            self.openingDate = openingDate
            self.closingDate = closingDate
        }

        /// True when no field is set: the alias has no bank details.
        public var isEmpty: Bool { self == BankDetails() }
    }

    public let id: String
    public let organizationID: String
    public let holderID: String
    public let ledgerID: String
    public let accountID: String
    public var bankDetails: BankDetails
    /// JSON text, stored as given: not personal data (the docs say none may go there).
    public var metadata: String
    public let createdAt: Timestamp
    public var updatedAt: Timestamp
    public var deletedAt: Timestamp?

    public init(
        id: String, organizationID: String, holderID: String, ledgerID: String, accountID: String, bankDetails: BankDetails,
        metadata: String, createdAt: Timestamp, updatedAt: Timestamp, deletedAt: Timestamp? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.holderID = holderID
        self.ledgerID = ledgerID
        self.accountID = accountID
        self.bankDetails = bankDetails
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}

import StrongroomKernel

/// A Midaz organization: the legal entity that owns ledgers.
public struct Organization: Sendable, Equatable, Encodable {
    public let id: String
    public var parentOrganizationID: String?
    public var legalName: String
    public var doingBusinessAs: String?
    public var legalDocument: String
    public var address: Address?
    public var status: EntityStatus
    public var metadata: Metadata
    public let createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, parentOrganizationID: String?, legalName: String, doingBusinessAs: String?, legalDocument: String,
        address: Address?, status: EntityStatus, metadata: Metadata, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.parentOrganizationID = parentOrganizationID
        self.legalName = legalName
        self.doingBusinessAs = doingBusinessAs
        self.legalDocument = legalDocument
        self.address = address
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, legalName, doingBusinessAs, legalDocument, address, status, metadata, createdAt, updatedAt
        case parentOrganizationID = "parentOrganizationId"
    }
}

/// A postal address, as Midaz carries it on organizations.
public struct Address: Sendable, Equatable, Codable {
    public var line1: String?
    public var line2: String?
    public var zipCode: String?
    public var city: String?
    public var state: String?
    public var country: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case line1, line2, zipCode, city, state, country
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(line1, field: "address.line1", max: 256)
        try FieldRules.optionalText(line2, field: "address.line2", max: 256)
        try FieldRules.optionalText(zipCode, field: "address.zipCode", max: 20)
        try FieldRules.optionalText(city, field: "address.city", max: 100)
        try FieldRules.optionalText(state, field: "address.state", max: 100)
        if let country {
            guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw .invalidValue("address.country", "must be a two-letter ISO 3166-1 code")
            }
        }
    }
}

/// `POST /v1/organizations`.
public struct NewOrganization: Sendable, Codable {
    public let legalName: String
    public let legalDocument: String
    public let doingBusinessAs: String?
    public let parentOrganizationID: String?
    public let address: Address?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case legalName, legalDocument, doingBusinessAs, address, status, metadata
        case parentOrganizationID = "parentOrganizationId"
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.text(legalName, field: "legalName", max: 256)
        try FieldRules.text(legalDocument, field: "legalDocument", max: 256)
        try FieldRules.optionalText(doingBusinessAs, field: "doingBusinessAs", max: 256)
        try address?.validate()
        try status?.validate()
        try metadata?.validate()
    }
}

/// `PATCH /v1/organizations/{id}`: present fields replace.
public struct OrganizationChanges: Sendable, Decodable {
    public let legalName: String?
    public let doingBusinessAs: String?
    public let parentOrganizationID: String?
    public let address: Address?
    public let status: EntityStatus?
    public let metadata: Metadata?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case legalName, doingBusinessAs, address, status, metadata
        case parentOrganizationID = "parentOrganizationId"
    }

    public func validate() throws(StrongroomError) {
        try FieldRules.optionalText(legalName, field: "legalName", max: 256)
        try FieldRules.optionalText(doingBusinessAs, field: "doingBusinessAs", max: 256)
        try address?.validate()
        try status?.validate()
        try metadata?.validate()
    }
}

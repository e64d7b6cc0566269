import Bookkeeping
import StrongroomEdge
import StrongroomKernel

/// `POST /v1/holders/{id}/aliases`: Midaz's `CreateAliasRequest`. `relatedParties`
/// (people's names and documents) are not supported yet: an empty list or null is accepted,
/// a party is refused (422, SR-2025). `regulatoryFields` is not implemented (null only).
struct CreateAliasRequest: StrictDecodable, Encodable, Sendable {
    let ledgerId: String
    let accountId: String
    let bankingDetails: AliasBankingDetails?
    let metadata: Metadata?
    /// How many related parties the body gave (none is accepted).
    let relatedPartyCount: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ledgerId, accountId, bankingDetails, metadata, relatedParties
    }

    static var shape: BodyShape {
        .object(CodingKeys.self, required: [.ledgerId, .accountId], nested: Self.nested)
            .adding(["regulatoryFields": .some(.unsupported)])
    }

    /// The nested fields of both alias bodies.
    static let nested: [String: BodyShape] = [
        "bankingDetails": AliasBankingDetails.shape, "metadata": .free, "relatedParties": .array(.free),
    ]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ledgerId = try container.decode(String.self, forKey: .ledgerId)
        accountId = try container.decode(String.self, forKey: .accountId)
        bankingDetails = try container.decodeIfPresent(AliasBankingDetails.self, forKey: .bankingDetails)
        metadata = try container.decodeIfPresent(Metadata.self, forKey: .metadata)
        relatedPartyCount = try Self.relatedPartyCount(in: container)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ledgerId, forKey: .ledgerId)
        try container.encode(accountId, forKey: .accountId)
        try container.encodeIfPresent(bankingDetails, forKey: .bankingDetails)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encode(relatedPartyCount, forKey: .relatedParties)
    }

    /// The number of entries of `relatedParties`, 0 when it is absent or null.
    static func relatedPartyCount<Key: CodingKey>(in container: KeyedDecodingContainer<Key>) throws -> Int {
        guard let key = Key(stringValue: "relatedParties"), container.contains(key), try !container.decodeNil(forKey: key) else { return 0 }
        let list = try container.nestedUnkeyedContainer(forKey: key)
        return list.count ?? 0
    }

    /// Related parties are people's names and documents, which must be sealed under the
    /// holder's data key; until aliases seal them, a body that gives one is refused.
    static func refuseRelatedParties(_ count: Int) throws(StrongroomError) {
        guard count > 0 else { return }
        let message = "is not supported yet: related parties are personal data and aliases do not store them; send an empty list or null"
        throw StrongroomError(.invalidValue, "Field 'relatedParties' \(message).", fields: [.init(field: "relatedParties", message: message)])
    }
}

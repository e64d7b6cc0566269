import Bookkeeping
import StrongroomEdge
import StrongroomKernel

/// `PATCH /v1/holders/{id}/aliases/{alias_id}`: Midaz's `UpdateAliasRequest`. The
/// bank details given replace theirs field by field (null leaves a field as it was) and are
/// checked again as a whole; metadata given replaces it. Related parties and regulatory
/// fields as `CreateAliasRequest` says.
struct UpdateAliasRequest: StrictDecodable, Sendable {
    let bankingDetails: AliasBankingDetails?
    let metadata: Metadata?
    let relatedPartyCount: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bankingDetails, metadata, relatedParties
    }

    static var shape: BodyShape {
        .object(CodingKeys.self, nested: CreateAliasRequest.nested).adding(["regulatoryFields": .some(.unsupported)])
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bankingDetails = try container.decodeIfPresent(AliasBankingDetails.self, forKey: .bankingDetails)
        metadata = try container.decodeIfPresent(Metadata.self, forKey: .metadata)
        relatedPartyCount = try CreateAliasRequest.relatedPartyCount(in: container)
    }
}

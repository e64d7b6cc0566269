import Bookkeeping
import StrongroomEdge
import StrongroomKernel

/// `PATCH /v1/holders/{id}/aliases/{alias_id}`: Midaz's `UpdateAliasRequest`. The
/// bank details given replace theirs field by field (null leaves a field as it was) and are
/// checked again as a whole; metadata given replaces it; `relatedParties` given replaces the
/// whole list, each party with a new id (null leaves it as it was, an empty list removes
/// them). Regulatory fields as `CreateAliasRequest` says.
struct UpdateAliasRequest: StrictDecodable, Sendable {
    let bankingDetails: AliasBankingDetails?
    let metadata: Metadata?
    let relatedParties: [RelatedParty.Input]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bankingDetails, metadata, relatedParties
    }

    static var shape: BodyShape {
        .object(CodingKeys.self, nested: CreateAliasRequest.nested).adding(["regulatoryFields": .some(.unsupported)])
    }
}

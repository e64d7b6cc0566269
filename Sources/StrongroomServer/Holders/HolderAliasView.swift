import Bookkeeping
import Foundation
import Storage
import StrongroomKernel

/// A holder alias as the routes answer it: Midaz's `AliasResponse` without the holder's
/// `document` (personal data, kept sealed with the holder), `type` and `regulatoryFields`.
/// `relatedParties` are as the route shows them (`RelatedParty.shown`: masked unless the
/// read is an unmasked one), an empty list when there are none. `bankingDetails` shows a UK alias's sort code as `branch` and its
/// account number as `account` (`AliasBankDetailsRule`), and is left out when the alias has
/// none; `deletedAt` only once it is deleted.
struct HolderAliasView: Encodable {
    let alias: StoredHolderAlias
    var relatedParties: [RelatedParty] = []

    private enum CodingKeys: String, CodingKey {
        case id, holderId, ledgerId, accountId, bankingDetails, relatedParties, metadata, createdAt, updatedAt, deletedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(alias.id, forKey: .id)
        try container.encode(alias.holderID, forKey: .holderId)
        try container.encode(alias.ledgerID, forKey: .ledgerId)
        try container.encode(alias.accountID, forKey: .accountId)
        let details = alias.bankDetails
        if !details.isEmpty {
            try container.encode(AliasBankingDetails(stored: details), forKey: .bankingDetails)
        }
        try container.encode(relatedParties, forKey: .relatedParties)
        try container.encode((try? Metadata(json: alias.metadata)) ?? Metadata(), forKey: .metadata)
        try container.encode(alias.createdAt, forKey: .createdAt)
        try container.encode(alias.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(alias.deletedAt, forKey: .deletedAt)
    }
}

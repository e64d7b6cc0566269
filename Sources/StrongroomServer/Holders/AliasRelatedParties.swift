import Bookkeeping
import Foundation
import Holders
import Storage
import StrongroomKernel

/// Where an alias's related parties live: one sealed field of its holder, named
/// `aliases.<alias_id>.relatedParties`, holding the list as JSON sealed with the holder's
/// data key (`FieldSealer`, bound to the holder and that name). So they are sealed as the
/// holder's own fields are, and an erasure, which removes every field of the holder with its
/// key, destroys them too; the alias's row keeps only ids and bank details.
///
/// `HolderRecords.update` leaves fields under `HolderRecords.aliasFieldPrefix` alone, so a
/// change to the holder never drops an alias's parties; the alias routes write them with
/// `HolderRecords.setField`. `HolderView` shows no such field: it is not in `HolderField`'s
/// catalogue.
enum AliasRelatedParties {
    static func fieldName(aliasID: String) -> PersonalFieldName {
        PersonalFieldName("\(HolderRecords.aliasFieldPrefix)\(aliasID).relatedParties")
    }

    /// The alias's parties as stored, opened with the holder's data key; none when the holder
    /// has none for it (or was erased).
    static func open(aliasID: String, holder: StoredHolder, provider: (any HolderKeyProvider)?) throws -> [RelatedParty] {
        let name = fieldName(aliasID: aliasID)
        guard let sealed = holder.fields[name], let wrapped = holder.wrappedDataKey else { return [] }
        guard let provider else { throw HolderSealingError.noKeyEncryptionKey(organizationID: holder.organizationID, version: nil) }
        let sealer = FieldSealer(
            holderID: holder.id, dataKey: try wrapped.unwrap(holderID: holder.id, organizationID: holder.organizationID, by: provider)
        )
        let text = try sealer.open(sealed, as: name)
        do {
            return try JSONDecoder().decode([RelatedParty].self, from: Data(text.utf8))
        } catch {
            // The message names the field, never its content.
            throw StrongroomError(.internalError, "The related parties of alias \(aliasID) do not read back as stored.")
        }
    }

    /// Seals `parties` as the alias's field and writes it in `work`, or removes the field when
    /// the list is empty.
    static func write(
        _ parties: [RelatedParty], aliasID: String, holder: StoredHolder, provider: (any HolderKeyProvider)?, in work: UnitOfWork
    ) async throws {
        let name = fieldName(aliasID: aliasID)
        guard !parties.isEmpty else {
            try await work.holders.setField(name, to: nil, holderID: holder.id)
            return
        }
        guard let wrapped = holder.wrappedDataKey, let provider else { throw StrongroomError.notFound("The holder") }
        let sealer = FieldSealer(
            holderID: holder.id, dataKey: try wrapped.unwrap(holderID: holder.id, organizationID: holder.organizationID, by: provider)
        )
        let text = String(decoding: try JSONEncoder().encode(parties), as: UTF8.self)
        try await work.holders.setField(name, to: try sealer.seal(text, as: name), holderID: holder.id)
    }
}

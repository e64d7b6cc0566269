import Bookkeeping
import Holders
import Storage
import StrongroomKernel

/// A holder as the routes answer it, in Midaz's `HolderResponse` shape (`id`, `type`,
/// `name`, `document`, `externalId`, `addresses`, `contact`, `naturalPerson`, `legalPerson`,
/// `metadata`, `createdAt`, `updatedAt`, `deletedAt`), its personal fields masked
/// (`HolderField.masked`) unless the read is an unmasked one. A field the holder does not
/// have, and a group with none, is left out; an erased holder has none, and says when it was
/// erased (`erasedAt`, ours).
struct HolderView: Encodable, Sendable {
    let holder: StoredHolder
    /// The personal fields to show, as shown (masked or in clear).
    let values: [PersonalFieldName: String]

    /// Opens the holder's fields with its data key, unwrapped through the organization's
    /// provider, and masks them unless `masked` is false. An erased holder has no key and no
    /// fields. A field that does not open fails the read (`HolderSealingError`, naming the
    /// field, never a value): a store that answers altered bytes is not papered over.
    static func reading(_ holder: StoredHolder, provider: (any HolderKeyProvider)?, masked: Bool) throws -> HolderView {
        guard let wrapped = holder.wrappedDataKey, !holder.fields.isEmpty else { return HolderView(holder: holder, values: [:]) }
        guard let provider else { throw HolderSealingError.noKeyEncryptionKey(organizationID: holder.organizationID, version: nil) }
        let sealer = FieldSealer(
            holderID: holder.id, dataKey: try wrapped.unwrap(holderID: holder.id, organizationID: holder.organizationID, by: provider)
        )
        var values: [PersonalFieldName: String] = [:]
        for (name, sealed) in holder.fields {
            // A name outside the catalogue (none is written today) is neither opened nor shown.
            guard let field = HolderField.byName[name] else { continue }
            let value = try sealer.open(sealed, as: name)
            values[name] = masked ? field.masked(value) : value
        }
        return HolderView(holder: holder, values: values)
    }

    /// The names of the fields this answer shows, sorted: what an unmasked read's audit
    /// record lists.
    var fieldNames: [String] { values.keys.map(\.rawValue).sorted() }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: HolderFieldTree.Key.self)
        func put(_ value: (some Encodable)?, _ key: String) throws {
            try container.encodeIfPresent(value, forKey: HolderFieldTree.Key(key))
        }
        try put(holder.id, "id")
        try put(holder.kind.rawValue, "type")
        try put(holder.externalID, "externalId")
        try put((try? Metadata(json: holder.metadata)) ?? Metadata(), "metadata")
        try put(holder.createdAt, "createdAt")
        try put(holder.updatedAt, "updatedAt")
        try put(holder.deletedAt, "deletedAt")
        try put(holder.erasedAt, "erasedAt")
        try HolderFieldTree.encode(values, into: &container)
    }
}

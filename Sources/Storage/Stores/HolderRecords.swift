import Holders
import StrongroomKernel

/// Account holders, sealed (`holders`, `holder_fields`, `holder_organization_keys`:
/// `HolderSchema`), read directly or written in a unit of work. The store moves sealed bytes
/// and blind-index terms and knows no key: it can neither open a field nor make a term, so
/// nothing it reads or writes, logs or throws holds a person's data in clear.
///
/// A change that touches a holder's row and its fields (`update`, `erase`) runs several
/// statements: run it in a unit of work (`UnitOfWork.holders`), so they commit together.
public struct HolderRecords: Sendable {
    /// What a list keeps: all given conditions at once. Terms are compared as they are, so
    /// the caller makes them with the organization's current `BlindIndex`.
    public struct Filter: Sendable, Equatable {
        public var externalID: String?
        public var emailTerm: String?
        public var documentTerm: String?
        /// Soft-deleted and erased holders too.
        public var includeDeleted: Bool

        public init(externalID: String? = nil, emailTerm: String? = nil, documentTerm: String? = nil, includeDeleted: Bool = false) {
            self.externalID = externalID
            self.emailTerm = emailTerm
            self.documentTerm = documentTerm
            self.includeDeleted = includeDeleted
        }
    }

    let executor: any SQLExecutor

    private static let columns = """
        id, organization_id, type, external_id, metadata, wrapped_data_key, email_term, document_term, blind_index_version, \
        created_at, updated_at, deleted_at, erased_at
        """

    // MARK: Holders

    /// Inserts a new holder with its sealed fields. A holder without a wrapped data key
    /// cannot be inserted (the schema's CHECK ties a missing key to an erasure).
    public func insert(_ holder: StoredHolder) async throws {
        try await executor.execute(
            "INSERT INTO holders (\(Self.columns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            [
                .text(holder.id), .text(holder.organizationID), .text(holder.kind.rawValue), SQLValue.optional(holder.externalID),
                .text(holder.metadata), holder.wrappedDataKey.map { .bytes($0.encoded) } ?? .null, SQLValue.optional(holder.emailTerm),
                SQLValue.optional(holder.documentTerm), Self.value(holder.blindIndexVersion),
                SQLValue.time(holder.createdAt), SQLValue.time(holder.updatedAt), holder.deletedAt.map(SQLValue.time) ?? .null,
                holder.erasedAt.map(SQLValue.time) ?? .null,
            ]
        )
        try await insertFields(holder.fields, holderID: holder.id)
    }

    /// The holder in its organization, sealed; nil when there is none, or when it is deleted
    /// (or erased) and `includeDeleted` is false.
    public func find(id: String, organizationID: String, includeDeleted: Bool = false) async throws -> StoredHolder? {
        let live = includeDeleted ? "" : " AND deleted_at IS NULL"
        guard let row = try await executor.queryOne(
            "SELECT \(Self.columns) FROM holders WHERE id = $1 AND organization_id = $2\(live)", [.text(id), .text(organizationID)]
        ) else { return nil }
        return try await withFields([row]).first
    }

    /// The organization's holders in id order (creation order: ids are UUIDv7), after
    /// `cursor` when given, at most `limit`, keeping those `filter` keeps; each with its
    /// sealed fields.
    public func list(organizationID: String, filter: Filter = Filter(), after cursor: String?, limit: Int) async throws -> [StoredHolder] {
        var conditions = ["organization_id = $1", "id > $2"]
        var binds: [SQLValue] = [.text(organizationID), .text(cursor ?? "")]
        for (column, value) in [("external_id", filter.externalID), ("email_term", filter.emailTerm), ("document_term", filter.documentTerm)] {
            guard let value else { continue }
            binds.append(.text(value))
            conditions.append("\(column) = $\(binds.count)")
        }
        if !filter.includeDeleted { conditions.append("deleted_at IS NULL") }
        let rows = try await executor.query(
            "SELECT \(Self.columns) FROM holders WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT \(max(limit, 0))", binds
        )
        return try await withFields(rows)
    }

    /// Stores `holder`'s external id, metadata, look-up terms and update time, and replaces
    /// its sealed fields with `holder.fields` (a field left out is removed); false when there
    /// is no such live holder (none, deleted or erased). Its type, creation and data key do
    /// not change here.
    public func update(_ holder: StoredHolder) async throws -> Bool {
        let changed = try await executor.query(
            """
            UPDATE holders SET external_id = $1, metadata = $2, email_term = $3, document_term = $4, blind_index_version = $5,
                updated_at = $6
            WHERE id = $7 AND organization_id = $8 AND deleted_at IS NULL AND erased_at IS NULL RETURNING id
            """,
            [
                SQLValue.optional(holder.externalID), .text(holder.metadata), SQLValue.optional(holder.emailTerm), SQLValue.optional(holder.documentTerm),
                Self.value(holder.blindIndexVersion), SQLValue.time(holder.updatedAt), .text(holder.id),
                .text(holder.organizationID),
            ]
        )
        guard !changed.isEmpty else { return false }
        // The aliases' fields are theirs to write (`setField`): a holder's change, which may
        // have read them before an alias's change committed, neither drops nor restores them.
        try await executor.execute(
            "DELETE FROM holder_fields WHERE holder_id = $1 AND field NOT LIKE $2", [.text(holder.id), .text(Self.aliasFieldPrefix + "%")]
        )
        try await insertFields(holder.fields.filter { !$0.key.rawValue.hasPrefix(Self.aliasFieldPrefix) }, holderID: holder.id)
        return true
    }

    /// The prefix of the fields an alias of the holder keeps (its related parties): `update`
    /// leaves them as they are; `erase` removes them with the rest.
    public static let aliasFieldPrefix = "aliases."

    /// Stores one sealed field of the holder, replacing the one of that name, or removes it
    /// when `sealed` is nil: what an alias's change writes. Run it in a unit of work.
    public func setField(_ name: PersonalFieldName, to sealed: SealedField?, holderID: String) async throws {
        try await executor.execute("DELETE FROM holder_fields WHERE holder_id = $1 AND field = $2", [.text(holderID), .text(name.rawValue)])
        if let sealed { try await insertFields([name: sealed], holderID: holderID) }
    }

    /// Marks the holder deleted: reads and lists leave it out unless they ask for deleted
    /// ones. Its data stays sealed and readable to those who ask; false when there is no such
    /// live holder.
    public func softDelete(id: String, organizationID: String, at: Timestamp) async throws -> Bool {
        try await !executor.query(
            """
            UPDATE holders SET deleted_at = $1, updated_at = $1
            WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL RETURNING id
            """,
            [SQLValue.time(at), .text(id), .text(organizationID)]
        ).isEmpty
    }

    /// Crypto-shreds the holder: its wrapped data key and look-up terms become NULL, every
    /// sealed field is removed, and it is marked erased (and deleted, if it was not). The row
    /// stays, so what refers to the holder (the ledger, the audit chain) stays whole. Erasing
    /// a deleted holder works; false when there is no such holder or it is already erased.
    public func erase(id: String, organizationID: String, at: Timestamp) async throws -> Bool {
        let erased = try await executor.query(
            """
            UPDATE holders SET wrapped_data_key = NULL, email_term = NULL, document_term = NULL, blind_index_version = NULL,
                erased_at = $1, deleted_at = COALESCE(deleted_at, $1), updated_at = $1
            WHERE id = $2 AND organization_id = $3 AND erased_at IS NULL RETURNING id
            """,
            [SQLValue.time(at), .text(id), .text(organizationID)]
        )
        guard !erased.isEmpty else { return false }
        try await executor.execute("DELETE FROM holder_fields WHERE holder_id = $1", [.text(id)])
        return true
    }

    // MARK: Organization keys

    /// Adds an organization's sealed key. A key already stored for that organization, kind
    /// and version is refused by the primary key; none is ever replaced.
    public func addOrganizationKey(_ key: SealedOrganizationKey, at: Timestamp) async throws {
        try await executor.execute(
            "INSERT INTO holder_organization_keys (organization_id, kind, version, sealed, created_at) VALUES ($1, $2, $3, $4, $5)",
            [.text(key.organizationID), .text(key.kind.rawValue), Self.value(key.version), .bytes(key.sealed), SQLValue.time(at)]
        )
    }

    /// Every organization's sealed keys (what `MasterKeyProvider` is built from), or one
    /// organization's, ordered by organization, kind and version.
    public func organizationKeys(organizationID: String? = nil) async throws -> [SealedOrganizationKey] {
        let select = "SELECT organization_id, kind, version, sealed FROM holder_organization_keys"
        let order = " ORDER BY organization_id, kind, version"
        let rows = if let organizationID {
            try await executor.query(select + " WHERE organization_id = $1" + order, [.text(organizationID)])
        } else {
            try await executor.query(select + order, [])
        }
        return try rows.map { row in
            guard let kind = SealedOrganizationKey.Kind(rawValue: try row.text("kind")) else {
                throw StorageError.decoding("an organization key has an unknown kind")
            }
            return SealedOrganizationKey(
                organizationID: try row.text("organization_id"), kind: kind, version: try Self.version(row, "version"),
                sealed: try row.bytes("sealed")
            )
        }
    }

    // MARK: Rows

    private func insertFields(_ fields: [PersonalFieldName: SealedField], holderID: String) async throws {
        let sorted = fields.sorted { $0.key.rawValue < $1.key.rawValue }
        try await executor.insertRows(into: "holder_fields", columns: "holder_id, field, sealed", columnCount: 3, sorted) { field in
            [.text(holderID), .text(field.key.rawValue), .bytes(field.value.bytes)]
        }
    }

    /// The holders of `rows` with their sealed fields, read in one statement.
    private func withFields(_ rows: [SQLRow]) async throws -> [StoredHolder] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.text("id") }
        let placeholders = ids.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let fieldRows = try await executor.query(
            "SELECT holder_id, field, sealed FROM holder_fields WHERE holder_id IN (\(placeholders))", ids.map(SQLValue.text)
        )
        var fields: [String: [PersonalFieldName: SealedField]] = [:]
        for row in fieldRows {
            let name = PersonalFieldName(try row.text("field"))
            let sealed: SealedField
            do {
                sealed = try SealedField(bytes: try row.bytes("sealed"))
            } catch {
                // The error names the field, never its bytes.
                throw StorageError.decoding("the sealed field \(name) of holder \(try row.text("holder_id")) is not in the stored format")
            }
            fields[try row.text("holder_id"), default: [:]][name] = sealed
        }
        return try rows.map { try Self.decode($0, fields: fields[try $0.text("id")] ?? [:]) }
    }

    private static func decode(_ row: SQLRow, fields: [PersonalFieldName: SealedField]) throws -> StoredHolder {
        let id = try row.text("id")
        guard let kind = StoredHolder.Kind(rawValue: try row.text("type")) else { throw StorageError.decoding("holder \(id) has an unknown type") }
        var wrapped: WrappedDataKey?
        if !(try row.isNull("wrapped_data_key")) {
            do {
                wrapped = try WrappedDataKey(encoded: try row.bytes("wrapped_data_key"))
            } catch {
                throw StorageError.decoding("holder \(id) has a wrapped data key that is not in the stored format")
            }
        }
        return StoredHolder(
            id: id, organizationID: try row.text("organization_id"), kind: kind, externalID: try row.optionalText("external_id"),
            metadata: try row.text("metadata"), wrappedDataKey: wrapped, fields: fields, emailTerm: try row.optionalText("email_term"),
            documentTerm: try row.optionalText("document_term"),
            blindIndexVersion: try row.isNull("blind_index_version") ? nil : try version(row, "blind_index_version"),
            createdAt: try row.timestamp("created_at"), updatedAt: try row.timestamp("updated_at"),
            deletedAt: try row.isNull("deleted_at") ? nil : try row.timestamp("deleted_at"),
            erasedAt: try row.isNull("erased_at") ? nil : try row.timestamp("erased_at")
        )
    }

    private static func version(_ row: SQLRow, _ column: String) throws -> KeyVersion {
        guard let raw = UInt32(exactly: try row.int(column)), let version = KeyVersion(rawValue: raw) else {
            throw StorageError.decoding("\(column) is not a key version")
        }
        return version
    }

    /// A version as stored: a `UInt32` always fits an `Int64`.
    private static func value(_ version: KeyVersion?) -> SQLValue {
        version.map { .int(Int64(clamping: $0.rawValue)) } ?? .null
    }
}

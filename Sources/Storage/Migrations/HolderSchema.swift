/// Migration 10: account holders, sealed at rest (issue 29, items 1, 2 and 4; "Holders:
/// personal data sealed field by field" in docs/ARCHITECTURE.md). No table holds a person's
/// data in clear: what `Holders` seals arrives here as bytes, and the store never sees a key.
///
/// - `holder_organization_keys`: each organization's keys (`SealedOrganizationKey`: a
///   key-encryption key or a blind index key, per version), sealed under the master key.
///   Append-only for the service role: a key that wrapped a live data key must stay, and a
///   rotation adds the next version rather than rewriting one.
/// - `holders`: one row per holder with what is not personal data (type, external id,
///   metadata as JSON text, which the docs tell clients to keep free of personal data), the
///   holder's `WrappedDataKey`, and the blind-index terms of its email and document with the
///   index key version they were made under. The terms are plain indexes, not unique ones:
///   Midaz's contract answers no conflict when a holder is created with a document or email
///   another holder has, and two people can share an email. An erasure NULLs the wrapped key
///   and both terms and sets `erased_at`; the row stays, so the ledger's references to the
///   holder and the audit chain stay whole. A CHECK ties the two: a holder has a wrapped key
///   exactly while it is not erased. The service role may UPDATE only the columns that move
///   and never DELETE a holder (soft delete sets `deleted_at`).
/// - `holder_fields`: the sealed personal fields, one row per (holder, field name), holding
///   `SealedField` bytes. A table of rows rather than a column per field of Midaz's shape
///   (some forty: three addresses of seven lines, contact, natural- and legal-person details,
///   a representative) because each value is already sealed bound to its `PersonalFieldName`,
///   so the name is the key the sealer uses anyway; a holder has only the fields it was given,
///   not forty NULLs; a new field of the shape needs no migration; and an erasure removes a
///   holder's fields with one DELETE rather than a list of every column to overwrite. The
///   service role may DELETE here: a replace and an erasure remove fields.
enum HolderSchema {
    /// The columns of `holders` that change after the insert (`HolderRecords`'s UPDATEs).
    static let changeable = [
        "external_id", "metadata", "wrapped_data_key", "email_term", "document_term", "blind_index_version", "updated_at",
        "deleted_at", "erased_at",
    ]

    static let migration = Migration(
        version: 10,
        name: "holders",
        statements: [
            """
            CREATE TABLE holder_organization_keys (
                organization_id TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('key-encryption', 'blind-index')),
                version BIGINT NOT NULL CHECK (version >= 1 AND version <= 4294967295),
                sealed {BYTES} NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (organization_id, kind, version)
            )
            """,
            """
            CREATE TABLE holders (
                id TEXT PRIMARY KEY,
                organization_id TEXT NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('NATURAL_PERSON', 'LEGAL_PERSON')),
                external_id TEXT,
                metadata TEXT NOT NULL,
                wrapped_data_key {BYTES},
                email_term TEXT,
                document_term TEXT,
                blind_index_version BIGINT CHECK (blind_index_version >= 1 AND blind_index_version <= 4294967295),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted_at BIGINT,
                erased_at BIGINT,
                CHECK ((wrapped_data_key IS NULL) = (erased_at IS NOT NULL)),
                CHECK (erased_at IS NULL OR (email_term IS NULL AND document_term IS NULL))
            )
            """,
            // The organization's list in id order, and its look-ups by external id and term.
            "CREATE INDEX holders_organization ON holders (organization_id, id)",
            "CREATE INDEX holders_external_id ON holders (organization_id, external_id) WHERE external_id IS NOT NULL",
            "CREATE INDEX holders_email_term ON holders (organization_id, email_term) WHERE email_term IS NOT NULL",
            "CREATE INDEX holders_document_term ON holders (organization_id, document_term) WHERE document_term IS NOT NULL",
            """
            CREATE TABLE holder_fields (
                holder_id TEXT NOT NULL REFERENCES holders (id),
                field TEXT NOT NULL,
                sealed {BYTES} NOT NULL,
                PRIMARY KEY (holder_id, field)
            )
            """,
        ],
        grants: [
            .appendOnly("holder_organization_keys"), .appendOnly("holders", updating: changeable), .readWrite("holder_fields"),
        ]
    )
}

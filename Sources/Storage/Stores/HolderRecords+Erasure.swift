import Holders

extension HolderRecords {
    /// How many holders one look-up names: well under either backend's limit on parameters.
    static let keyedLookupChunk = 500

    /// Of `subjects`, those whose holder the store has, in that organization, with a wrapped
    /// data key still: what a database restored from a copy taken before an erasure still
    /// holds, and the erasure record must erase again (`HolderErasureRecord.toReapply`).
    public func stillKeyed(among subjects: [HolderErasureEntry.Subject]) async throws -> Set<HolderErasureEntry.Subject> {
        var keyed: Set<HolderErasureEntry.Subject> = []
        var start = subjects.startIndex
        while start < subjects.endIndex {
            let chunk = subjects[start..<min(start + Self.keyedLookupChunk, subjects.endIndex)]
            let placeholders = chunk.indices.map { "$\($0 - start + 1)" }.joined(separator: ", ")
            let rows = try await executor.query(
                "SELECT id, organization_id FROM holders WHERE wrapped_data_key IS NOT NULL AND id IN (\(placeholders))",
                chunk.map { .text($0.holderID) }
            )
            for row in rows {
                keyed.insert(HolderErasureEntry.Subject(organizationID: try row.text("organization_id"), holderID: try row.text("id")))
            }
            start = chunk.endIndex
        }
        // A holder of the same id in another organization is not the one erased.
        return keyed.intersection(subjects)
    }
}

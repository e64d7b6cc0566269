import LedgerCore
import StrongroomKernel

// The one rendering of a transaction and of an operation, for every answer that carries
// them: the 201 of a posting, the stored idempotent answer replayed byte for byte, a
// batch's answer, reads, lists and PATCH answers. Their bytes are those `JSONEncoder` made
// with sorted keys when these types still rendered through it, so answers stored then
// replay unchanged; `TransactionRenderingTests` holds them to golden bytes. Members are
// written in ascending order of their keys' UTF-8 bytes (SortedJSONWriter).

extension Transaction: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("amount", amount)
        json.member("assetCode", assetCode)
        json.member("chartOfAccountsGroupName", ifPresent: chartOfAccountsGroupName)
        json.member("code", ifPresent: code)
        json.member("createdAt", createdAt)
        json.member("description", ifPresent: description)
        json.key("destination")
        writeAliases(of: .destination, to: &json)
        json.member("id", id)
        json.member("ledgerId", ledgerID)
        json.member("metadata", metadata)
        json.member("operations", operations)
        json.member("organizationId", organizationID)
        json.member("parentTransactionId", ifPresent: parentTransactionID)
        json.member("pending", pending)
        json.member("pendingExpiresAt", ifPresent: pendingExpiresAt)
        json.member("revertedBy", ifPresent: revertedBy)
        json.key("source")
        writeAliases(of: .source, to: &json)
        json.member("status", EntityStatus(code: status.rawValue, description: statusDescription))
        json.member("updatedAt", updatedAt)
        json.endObject()
    }

    private func writeAliases(of side: TransactionLeg.Side, to json: inout SortedJSONWriter) {
        json.beginArray()
        for leg in legs where leg.side == side {
            json.element()
            json.string(leg.alias)
        }
        json.endArray()
    }
}

extension LedgerOperation: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("accountAlias", accountAlias)
        json.member("accountId", accountID)
        json.key("amount")
        json.beginObject()
        json.member("value", amount)
        json.endObject()
        json.member("assetCode", assetCode)
        json.member("balance", before)
        json.member("balanceAfter", after)
        json.member("balanceId", balanceID)
        json.member("chartOfAccounts", ifPresent: chartOfAccounts)
        json.member("createdAt", createdAt)
        json.member("description", ifPresent: description)
        json.member("id", id)
        json.member("ledgerId", ledgerID)
        json.member("metadata", metadata)
        json.member("organizationId", organizationID)
        json.member("status", EntityStatus(code: status.rawValue))
        json.member("transactionId", transactionID)
        json.member("type", type.rawValue)
        json.member("updatedAt", updatedAt)
        json.endObject()
    }
}

extension TransactionLeg: SortedJSONWritable {
    /// As its synthesized `Encodable` form, which names the members after the properties.
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("accountID", accountID)
        json.member("alias", alias)
        json.member("balanceID", balanceID)
        json.member("chartOfAccounts", ifPresent: chartOfAccounts)
        json.member("description", ifPresent: description)
        json.member("metadata", ifPresent: metadata)
        json.member("minorUnits", minorUnits)
        json.member("side", side.rawValue)
        json.endObject()
    }
}

extension Array: SortedJSONWritable where Element: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginArray()
        for element in self {
            json.element()
            element.write(to: &json)
        }
        json.endArray()
    }
}

extension BalanceSnapshot: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("available", available)
        json.member("onHold", onHold)
        json.member("version", version)
        json.endObject()
    }
}

extension EntityStatus: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("code", code)
        json.member("description", ifPresent: description)
        json.endObject()
    }
}

extension Metadata: SortedJSONWritable {
    /// Keys are the client's, so their order is `JSONEncoder`'s own: only the empty case,
    /// the common one, is written here.
    public func write(to json: inout SortedJSONWriter) {
        if entries.isEmpty {
            json.beginObject()
            json.endObject()
        } else {
            json.json(self.json.utf8)
        }
    }
}

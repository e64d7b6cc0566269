import StrongroomKernel

// A transaction body's canonical text, hashed for its idempotency key on every keyed post
// and, for a batch, once per item: written by hand (SortedJSONWriter), identical to
// `JSONEncoder`'s sorted-keys rendering of the `Encodable` form, so the hashes of keys
// stored before it still match. `TransactionBodyRenderingTests` holds it to those bytes.

extension TransactionBody: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("chartOfAccountsGroupName", ifPresent: chartOfAccountsGroupName)
        json.member("code", ifPresent: code)
        json.member("description", ifPresent: description)
        if let metadata {
            json.key("metadata")
            metadata.write(to: &json)
        }
        if let pending { json.member("pending", pending) }
        json.member("pendingExpiresAt", ifPresent: pendingExpiresAt)
        json.key("send")
        send.write(to: &json)
        json.endObject()
    }
}

extension TransactionBody.Send: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("asset", asset)
        if let distribute {
            json.key("distribute")
            json.beginObject()
            json.key("to")
            distribute.to.write(to: &json)
            json.endObject()
        }
        if let source {
            json.key("source")
            json.beginObject()
            json.key("from")
            source.from.write(to: &json)
            json.endObject()
        }
        json.member("value", value)
        json.endObject()
    }
}

extension TransactionBody.Leg: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("accountAlias", accountAlias)
        if let amount {
            json.key("amount")
            json.beginObject()
            json.member("asset", amount.asset)
            json.member("value", amount.value)
            json.endObject()
        }
        json.member("balanceKey", ifPresent: balanceKey)
        json.member("chartOfAccounts", ifPresent: chartOfAccounts)
        json.member("description", ifPresent: description)
        if let metadata {
            json.key("metadata")
            metadata.write(to: &json)
        }
        json.member("remaining", ifPresent: remaining)
        if let share {
            json.key("share")
            json.beginObject()
            json.member("percentage", Int64(share.percentage))
            if let percentageOfPercentage = share.percentageOfPercentage {
                json.member("percentageOfPercentage", Int64(percentageOfPercentage))
            }
            json.endObject()
        }
        json.endObject()
    }
}

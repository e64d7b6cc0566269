import StrongroomKernel

// A transaction body's canonical text, hashed for its idempotency key on every keyed post
// and, for a batch, once per item: written by hand (SortedJSONWriter), identical to
// `JSONEncoder`'s sorted-keys rendering of the `Encodable` form, so the hashes of keys
// stored before it still match. `RequestRenderingTests` holds it to those bytes.

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
            distribute.write(to: &json)
        }
        if let source {
            json.key("source")
            source.write(to: &json)
        }
        json.member("value", value)
        json.endObject()
    }
}

extension TransactionBody.Source: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.key("from")
        from.write(to: &json)
        json.endObject()
    }
}

extension TransactionBody.Distribute: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.key("to")
        to.write(to: &json)
        json.endObject()
    }
}

extension TransactionBody.Leg: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("accountAlias", accountAlias)
        if let amount {
            json.key("amount")
            amount.write(to: &json)
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
            share.write(to: &json)
        }
        json.endObject()
    }
}

extension TransactionBody.LegAmount: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("asset", asset)
        json.member("value", value)
        json.endObject()
    }
}

extension TransactionBody.Share: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("percentage", Int64(percentage))
        if let percentageOfPercentage { json.member("percentageOfPercentage", Int64(percentageOfPercentage)) }
        json.endObject()
    }
}

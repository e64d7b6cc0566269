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
        json.member("metadata", ifPresent: metadata)
        if let pending { json.member("pending", pending) }
        json.member("pendingExpiresAt", ifPresent: pendingExpiresAt)
        json.member("send", send)
        json.endObject()
    }
}

extension TransactionBody.Send: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("asset", asset)
        json.member("distribute", ifPresent: distribute)
        json.member("source", ifPresent: source)
        json.member("value", value)
        json.endObject()
    }
}

extension TransactionBody.Source: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("from", from)
        json.endObject()
    }
}

extension TransactionBody.Distribute: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("to", to)
        json.endObject()
    }
}

extension TransactionBody.Leg: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.member("accountAlias", accountAlias)
        json.member("amount", ifPresent: amount)
        json.member("balanceKey", ifPresent: balanceKey)
        json.member("chartOfAccounts", ifPresent: chartOfAccounts)
        json.member("description", ifPresent: description)
        json.member("metadata", ifPresent: metadata)
        json.member("remaining", ifPresent: remaining)
        json.member("share", ifPresent: share)
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

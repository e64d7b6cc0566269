import StrongroomKernel

// The envelope's one rendering: the outbox stores these bytes, a webhook delivery sends them
// as its body (the bytes its signature covers), and the pull API answers them. Deterministic,
// so the same event is the same bytes in every process and on every redelivery: keys in
// ascending byte order as `JSONEncoder` sorts them, absent references left out (as its
// `encodeIfPresent`), and the body placed as it was rendered.
//
// {"body":{…},"id":"…","ledgerId":"…","orderingKey":"…","organizationId":"…",
//  "time":"2026-12-07T11:43:15.000000Z","type":"transaction.posted","version":1}

extension EventEnvelope: SortedJSONWritable {
    public func write(to json: inout SortedJSONWriter) {
        json.beginObject()
        json.key("body")
        json.json(body)
        json.member("id", id)
        json.member("ledgerId", ifPresent: ledgerID)
        json.member("orderingKey", ifPresent: orderingKey)
        json.member("organizationId", ifPresent: organizationID)
        json.member("time", time)
        json.member("type", type.rawValue)
        json.member("version", Int64(clamping: schemaVersion))
        json.endObject()
    }

    /// The envelope's JSON text.
    public var json: [UInt8] {
        SortedJSONWriter.write(self, capacity: body.count + 384)
    }
}

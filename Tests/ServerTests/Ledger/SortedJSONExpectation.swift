import Foundation
import StrongroomKernel
import Testing

/// The check every hand-written rendering answers to: `SortedJSONWriter`'s bytes for a
/// value are the bytes `JSONEncoder` makes of its `Encodable` form, with the options every
/// answer and every idempotency hash uses.
enum SortedJSONExpectation {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func expectSameBytes(
        _ value: some SortedJSONWritable & Encodable, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let written = SortedJSONWriter.write(value)
        let encoded = Array(try encoder.encode(value))
        let same = written == encoded  // a Bool, so that a failure shows the two texts, not two byte arrays
        #expect(
            same, "\(comment):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: encoded, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }
}

import Controls
import Foundation
import Testing

/// A draft's one JSON shape: the API's field names, nil fields left out, a round trip that
/// changes nothing, and a PATCH that replaces only the fields it gives.
@Suite("Control rule draft coding")
struct ControlRuleDraftCodingTests {
    static let draft = ControlRuleDraft(
        kind: "transaction_approval", asset: "USD", sourceAlias: "@treasury*", atOrAbove: "10000.00", approvals: 2, group: "checkers",
        expirySeconds: 7_200
    )

    @Test func aDraftIsWrittenInTheAPIsNamesAndReadBackUnchanged() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(Self.draft), as: UTF8.self)
        #expect(
            text
                == #"{"approvals":2,"asset":"USD","at_or_above":"10000.00","expiry_seconds":7200,"group":"checkers","kind":"transaction_approval","source_alias":"@treasury*"}"#
        )
        #expect(try JSONDecoder().decode(ControlRuleDraft.self, from: Data(text.utf8)) == Self.draft)
        let limit = ControlRuleDraft(kind: "limit", ledgerID: "0190a5b2-0000-7000-8000-000000000001", asset: "EUR", portfolioID: "p", perDay: "5", day: "organization", actions: ["keys.rotate"])
        #expect(try JSONDecoder().decode(ControlRuleDraft.self, from: try encoder.encode(limit)) == limit)
    }

    @Test func aChangeReplacesOnlyTheFieldsItGives() {
        let merged = Self.draft.merging(ControlRuleDraft(approvals: 3, expirySeconds: 3_600))
        #expect(merged.approvals == 3 && merged.expirySeconds == 3_600)
        #expect(merged.kind == Self.draft.kind && merged.sourceAlias == Self.draft.sourceAlias && merged.atOrAbove == Self.draft.atOrAbove)
        #expect(Self.draft.merging(ControlRuleDraft()) == Self.draft)
        let every = ControlRuleDraft(
            kind: "limit", ledgerID: "l", asset: "EUR", sourceAlias: "s", portfolioID: "p", accountAlias: "@a", atOrAbove: "1",
            perTransaction: "2", perDay: "3", day: "utc", actions: ["keys.rotate"], approvals: 1, group: "g", expirySeconds: 4_000
        )
        #expect(Self.draft.merging(every) == every)
    }
}

import Controls
import StrongroomKernel
import Testing

/// The digest an approval request is bound to: SHA-256 over one canonical rendering.
@Suite struct ApprovalContentTests {
    @Test("the canonical rendering and its SHA-256, byte for byte (checked with sha256sum)")
    func canonicalDigest() {
        let posting = ApprovalContent(
            action: "posting", organizationID: "O1", ledgerID: "L1", maker: .user(id: "u1"), body: Array(#"{"amount":"50000.00"}"#.utf8)
        )
        #expect(
            String(decoding: posting.canonical, as: UTF8.self)
                == #"{"action":"posting","body":{"amount":"50000.00"},"ledger_id":"L1","maker":{"id":"u1","kind":"user"},"organization_id":"O1"}"#
        )
        #expect(posting.digest == "7c047e16974756a59e418387895da65b0be7ac09d5b0428749795ad5c628089c")
        let rotation = ApprovalContent(
            action: "keys.rotate", organizationID: "O1", ledgerID: nil, maker: .external(issuer: "https://idp.example", subject: "alice"),
            body: Array("{}".utf8)
        )
        #expect(rotation.digest == "b4d423aacee3bd4ebe6480c1ae6e1bbfd7bee003b2322c4b408fba0442ccf75f")
    }

    @Test("any change of content, maker or place changes the digest")
    func everyPartCounts() {
        let base = ApprovalContent(action: "posting", organizationID: "O1", ledgerID: "L1", maker: .user(id: "u1"), body: Array("{}".utf8))
        let variants = [
            ApprovalContent(action: "client.create", organizationID: "O1", ledgerID: "L1", maker: .user(id: "u1"), body: Array("{}".utf8)),
            ApprovalContent(action: "posting", organizationID: "O2", ledgerID: "L1", maker: .user(id: "u1"), body: Array("{}".utf8)),
            ApprovalContent(action: "posting", organizationID: "O1", ledgerID: nil, maker: .user(id: "u1"), body: Array("{}".utf8)),
            ApprovalContent(action: "posting", organizationID: "O1", ledgerID: "L1", maker: .client(id: "u1"), body: Array("{}".utf8)),
            ApprovalContent(action: "posting", organizationID: "O1", ledgerID: "L1", maker: .user(id: "u1"), body: Array(#"{"a":1}"#.utf8)),
        ]
        let digests = Set(([base] + variants).map(\.digest))
        #expect(digests.count == variants.count + 1)
        #expect(digests.allSatisfy { $0.count == 64 })
    }
}

import Foundation
import Holders
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// An organization's holder keys are made once, however many first creates race for them:
/// two keyrings (as two processes hold, each with its own cache) on one database, eight
/// requests at once, one key set, and every provider gives the same terms.
@Suite("Holder keyring")
struct HolderKeyringTests {
    @Test(arguments: TestBackend.available)
    func racingFirstCreatesEndWithOneKeySet(backend: TestBackend) async throws {
        try await TestServer.with(backend) { _, prepared, _ in
            for _ in 0..<3 {
                let organization = UUID().uuidString.lowercased()
                let keyrings = (0..<2).map { _ in HolderKeyring(persistence: prepared.persistence, box: prepared.box, clock: prepared.clock) }
                #expect(try await keyrings[0].provider(organizationID: organization) == nil)
                let terms = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<8 {
                        let keyring = keyrings[index % 2]
                        group.addTask {
                            try await keyring.provisionedProvider(organizationID: organization).blindIndex(organizationID: organization)
                                .term("someone@example.com", as: .email)
                        }
                    }
                    var terms: [String] = []
                    for try await term in group { terms.append(term) }
                    return terms
                }
                #expect(terms.count == 8 && Set(terms).count == 1)
                let rows = try await prepared.persistence.holders.organizationKeys(organizationID: organization)
                #expect(rows.map(\.kind) == [.blindIndex, .keyEncryption] && rows.allSatisfy { $0.version == .first })
                // A data key wrapped through one keyring opens through the other.
                let wrapped = try HolderDataKey.generate().wrapped(
                    holderID: "h", organizationID: organization, by: try await keyrings[0].provisionedProvider(organizationID: organization)
                )
                let other = try #require(try await keyrings[1].provider(organizationID: organization))
                _ = try wrapped.unwrap(holderID: "h", organizationID: organization, by: other)
            }
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdCore
import Secrets
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The set of keyed requests running at once is bounded: one past the bound is answered 503
/// (SR-9003) at once, a repeat of a running key is still 409, and a finished request frees
/// its place.
@Suite("Idempotency capacity")
struct IdempotencyCapacityTests {
    @Test func oneKeyPastTheBoundIsRefusedAndAFinishedOneFreesItsPlace() async throws {
        try await TestServer.with(.sqlite) { _, prepared, _ in
            let gate = IdempotencyGate(persistence: prepared.persistence, clock: prepared.clock, box: prepared.box, maxRunningKeys: 1)
            let first = IdempotencyGate.Key(scope: "scope-first", requestHash: "h1", ttlSeconds: 60)
            let second = IdempotencyGate.Key(scope: "scope-second", requestHash: "h2", ttlSeconds: 60)
            let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
            let running = Task {
                try await gate.run(first, requestID: "r1", commit: { _ in
                    startedSignal.yield()
                    for await _ in release { break }
                    return StoredResponse(status: .created, body: Data("{}".utf8))
                })
            }
            for await _ in started { break }

            let refusal = await #expect(throws: StrongroomError.self) {
                _ = try await gate.run(second, requestID: "r2", commit: { _ in StoredResponse(status: .created, body: Data("{}".utf8)) })
            }
            #expect(refusal?.code == .idempotencyCapacity)
            let repeated = await #expect(throws: StrongroomError.self) {
                _ = try await gate.run(first, requestID: "r3", commit: { _ in StoredResponse(status: .created, body: Data("{}".utf8)) })
            }
            #expect(repeated?.code == .idempotencyInFlight)

            releaseSignal.yield()
            #expect(try await running.value.status == .created)
            let after = try await gate.run(second, requestID: "r4", commit: { _ in StoredResponse(status: .created, body: Data("{}".utf8)) })
            #expect(after.status == .created)
        }
    }
}

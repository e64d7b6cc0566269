import Foundation
import Testing

@testable import StrongroomBench

/// The retry storm's verdict on one key's answers: a storm that got replays of its first
/// answer passes; a second original (two effects), a replay that differs, or a refusal fails.
@Suite("Retry storm verdict")
struct RetryStormTests {
    static let created = Data(#"{"id":"t1","amount":"0.01"}"#.utf8)

    @Test func oneOriginalAndIdenticalReplaysPass() {
        let answers = [
            RetryStorm.Answer(status: 201, body: Self.created, replayed: true),
            RetryStorm.Answer(status: 201, body: Self.created, replayed: false),
            RetryStorm.Answer(status: 201, body: Self.created, replayed: true),
        ]
        #expect(RetryStorm.findings(key: 0, answers: answers) == [])
    }

    @Test func twoOriginalsFail() {
        let answers = [
            RetryStorm.Answer(status: 201, body: Self.created, replayed: false),
            RetryStorm.Answer(status: 201, body: Self.created, replayed: false),
        ]
        #expect(RetryStorm.findings(key: 3, answers: answers) == ["key 3 was answered as an original 2 times, not once"])
    }

    @Test func aReplayThatDiffersFails() {
        let answers = [
            RetryStorm.Answer(status: 201, body: Self.created, replayed: false),
            RetryStorm.Answer(status: 201, body: Data(#"{"id":"t2","amount":"0.01"}"#.utf8), replayed: true),
        ]
        let findings = RetryStorm.findings(key: 1, answers: answers)
        #expect(findings.count == 1)
        #expect(findings.first?.hasPrefix("key 1: 1 of 2 answers differ from the first") == true)
    }

    @Test func aRefusedKeyOrNoAnswerFails() {
        let refused = [RetryStorm.Answer(status: 422, body: Data("{}".utf8), replayed: false)]
        #expect(RetryStorm.findings(key: 2, answers: refused) == ["key 2 was refused: 422 {}"])
        #expect(RetryStorm.findings(key: 4, answers: []) == ["key 4 got no answer"])
    }
}

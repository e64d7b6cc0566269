import Foundation
import NIOHTTP1
import Synchronization

/// The measured interval: `connections` workers posting transfers between the set-up
/// accounts until the deadline, closed loop or at a fixed rate (open loop, where latency is
/// measured from when each request was due, so a slow server cannot hide its queue).
struct LoadRun: Sendable {
    let plan: BenchPlan
    let client: BenchClient
    let ledgerPath: String
    let sampler: PairSampler

    /// Hands out open-loop request numbers: request k is due at start + k / rate.
    final class Schedule: Sendable {
        private let next = Atomic<Int>(0)
        func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
    }

    func run() async -> (LatencyRecorder, seconds: Double) {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(plan.duration * 1000))
        let schedule = Schedule()
        let recorder = await withTaskGroup(of: LatencyRecorder.self) { group in
            for worker in 0..<plan.connections {
                group.addTask { await work(worker, start: start, deadline: deadline, schedule: schedule) }
            }
            var total = LatencyRecorder()
            for await part in group { total.merge(part) }
            return total
        }
        let elapsed = ContinuousClock.now - start
        return (recorder, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func work(_ worker: Int, start: ContinuousClock.Instant, deadline: ContinuousClock.Instant, schedule: Schedule) async -> LatencyRecorder {
        var random = SplitMix64(seed: plan.seed &+ UInt64(worker) &* 0x9E37_79B9)
        var recorder = LatencyRecorder()
        let path = ledgerPath + (plan.batch == nil ? "/transactions/json" : "/transactions/batch?response=compact")
        while true {
            let due: ContinuousClock.Instant
            if let rate = plan.rate {
                due = start + .microseconds(Int64(Double(schedule.take()) * 1_000_000 / rate))
                guard due < deadline else { break }
                if due > .now { try? await Task.sleep(until: due, clock: .continuous) }
            } else {
                due = .now
                guard due < deadline else { break }
            }
            let body = requestBody(&random)
            let key = "bench-\(plan.seed)-\(worker)-\(random.next())"
            do {
                let answer = try await client.send(.POST, path, body: body, headers: [("Idempotency-Key", key)])
                recorder.record(microseconds: Self.microseconds(since: due), status: answer.status, transfers: transfers(in: answer))
            } catch {
                recorder.record(microseconds: Self.microseconds(since: due), status: nil, transfers: 0)
            }
        }
        return recorder
    }

    private func requestBody(_ random: inout SplitMix64) -> Data {
        func transfer() -> String {
            let (source, destination) = sampler.pair(using: &random)
            return BenchPlan.transfer(from: source, to: destination, minor: Int.random(in: 1...100, using: &random))
        }
        guard let batch = plan.batch else { return Data(transfer().utf8) }
        return Data((#"{"transactions":["# + (0..<batch).map { _ in transfer() }.joined(separator: ",") + "]}").utf8)
    }

    /// Transfers a 2xx answer created: one for a single transfer, the batch's count otherwise.
    private func transfers(in answer: BenchClient.Answer) -> Int {
        guard (200..<300).contains(answer.status) else { return 0 }
        guard plan.batch != nil else { return 1 }
        struct Counts: Decodable { let created: Int }
        return (try? JSONDecoder().decode(Counts.self, from: answer.body))?.created ?? 0
    }

    private static func microseconds(since instant: ContinuousClock.Instant) -> UInt64 {
        let elapsed = ContinuousClock.now - instant
        return UInt64(max(0, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
    }
}

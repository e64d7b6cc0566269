import Foundation
import NIOCore
import NIOHTTP1
import StrongroomKernel
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

    /// One transfer of a request: account indexes and minor units.
    struct Transfer {
        let source: Int
        let destination: Int
        let minor: Int

        func acknowledged(as id: String) -> Acknowledgement {
            Acknowledgement(
                id: id, source: BenchPlan.alias(source), destination: BenchPlan.alias(destination), value: BenchPlan.value(minor: minor)
            )
        }
    }

    /// What the workers saw: latencies and counts, and the transfers acknowledged (kept only
    /// when the plan writes them out).
    struct Outcome {
        var recorder = LatencyRecorder()
        var acknowledged: [Acknowledgement] = []
        var seconds = 0.0
        var flood: BenchReport.LoginFlood?
    }

    func run() async -> Outcome {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(plan.duration * 1000))
        let schedule = Schedule()
        var outcome = await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<plan.connections {
                group.addTask { await work(worker, start: start, deadline: deadline, schedule: schedule) }
            }
            // Bench.run has refused a flood whose URL gives no target.
            if let rate = plan.loginFloodRate, let target = FloodSender.Target(url: plan.url) {
                group.addTask {
                    let flood = FloodSender(target: target, username: plan.credentials.username, seed: plan.seed)
                    let duration = TimeAmount.nanoseconds(Int64(plan.duration * 1e9))
                    return Outcome(flood: await flood.run(rate: rate, duration: duration, connections: BenchPlan.floodSenders))
                }
            }
            var total = Outcome()
            for await part in group {
                total.recorder.merge(part.recorder)
                total.acknowledged += part.acknowledged
                if let flood = part.flood { total.flood = flood }
            }
            return total
        }
        let elapsed = ContinuousClock.now - start
        outcome.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return outcome
    }

    private func work(_ worker: Int, start: ContinuousClock.Instant, deadline: ContinuousClock.Instant, schedule: Schedule) async -> Outcome {
        var random = SplitMix64(seed: plan.seed &+ UInt64(worker) &* 0x9E37_79B9)
        var outcome = Outcome()
        let keepAcknowledgements = plan.acknowledgementFile != nil
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
            let transfers = (0..<(plan.batch ?? 1)).map { _ in
                let (source, destination) = sampler.pair(using: &random)
                return Transfer(source: source, destination: destination, minor: Int.random(in: 1...100, using: &random))
            }
            let key = "bench-\(plan.seed)-\(worker)-\(random.next())"
            do {
                let answer = try await client.send(.POST, path, body: requestBody(transfers), headers: [("Idempotency-Key", key)])
                let count: Int
                if keepAcknowledgements || plan.batch != nil {
                    let created = created(in: answer, of: transfers)
                    count = created.count
                    if keepAcknowledgements { outcome.acknowledged += created }
                } else {
                    count = (200..<300).contains(answer.status) ? 1 : 0  // no need to read the body
                }
                outcome.recorder.record(microseconds: Self.microseconds(since: due), status: answer.status, transfers: count)
            } catch {
                outcome.recorder.record(microseconds: Self.microseconds(since: due), status: nil, transfers: 0)
                // The server is gone: the suite that killed it checks the run, not this loop.
                if plan.expectInterruption { break }
            }
        }
        return outcome
    }

    private func requestBody(_ transfers: [Transfer]) -> Data {
        let bodies = transfers.map { BenchPlan.transfer(from: $0.source, to: $0.destination, minor: $0.minor) }
        guard plan.batch != nil else { return Data(bodies[0].utf8) }
        return Data((#"{"transactions":["# + bodies.joined(separator: ",") + "]}").utf8)
    }

    /// The transfers a 2xx answer created, with their ids: the one transfer of a single
    /// request, or each batch item answered 201.
    private func created(in answer: BenchClient.Answer, of transfers: [Transfer]) -> [Acknowledgement] {
        guard (200..<300).contains(answer.status) else { return [] }
        if plan.batch == nil {
            struct Created: Decodable { let id: String }
            // A 2xx without an id still counts; the check then reports it as unverifiable.
            let id = (try? JSONDecoder().decode(Created.self, from: answer.body))?.id ?? ""
            return [transfers[0].acknowledged(as: id)]
        }
        struct Batch: Decodable {
            struct Item: Decodable {
                let index: Int
                let status: Int
                let id: String?
            }
            let items: [Item]
        }
        guard let batch = try? JSONDecoder().decode(Batch.self, from: answer.body) else { return [] }
        return batch.items.compactMap { item in
            guard item.status == 201, let id = item.id, transfers.indices.contains(item.index) else { return nil }
            return transfers[item.index].acknowledged(as: id)
        }
    }

    private static func microseconds(since instant: ContinuousClock.Instant) -> UInt64 {
        let elapsed = ContinuousClock.now - instant
        return UInt64(max(0, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
    }
}

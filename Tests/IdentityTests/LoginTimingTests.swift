import Foundation
@testable import Identity
import StrongroomKernel
import Synchronization
import Testing

@Suite("Login timing")
struct LoginTimingTests {
    /// Runs each piece of work inline and records the CPU time its thread spent on it and the
    /// wall time it took.
    final class MeasuringExecutor: BlockingExecutor {
        let runs = Mutex<[(cpu: Double, wall: Double)]>([])

        func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
            let cpu = Self.threadCPUSeconds()
            let wall = ContinuousClock.now
            let result = try work()
            let run = (Self.threadCPUSeconds() - cpu, (ContinuousClock.now - wall).inSeconds)
            runs.withLock { $0.append(run) }
            return result
        }

        static func threadCPUSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
    }

    @Test func anUnknownNameWaitsAsLongAsARealCheckWithoutHashing() async throws {
        let executor = MeasuringExecutor()
        let hasher = PasswordHasher(cost: 10)
        let service = LoginService(hasher: hasher, executor: executor, clock: SystemClock())
        let epoch = Timestamp(microsecondsSinceEpoch: 0)
        let user = User(
            id: UUID(), username: try Username("alice"), passwordHash: hasher.hash("correct horse battery staple"), status: .active,
            mustChangePassword: false, createdAt: epoch, updatedAt: epoch
        )

        #expect(try await service.check("a wrong passphrase here", of: user) == false)
        #expect(try await service.check("correct horse battery staple", of: user))
        let estimate = service.checkTime.seconds
        #expect(try await service.check("a wrong passphrase here", of: nil) == false)

        let runs = executor.runs.withLock { $0 }
        try #require(runs.count == 3)
        let (real, unknown) = (runs[0], runs[2])
        #expect(real.cpu > 0.01, "cost 10 is tens of milliseconds of hashing")
        #expect(unknown.cpu < real.cpu / 10, "a name that does not exist is not hashed for")
        #expect(unknown.wall >= estimate * 0.95, "but it waits as long as a check takes here")
    }

    @Test func theEstimateMovesAQuarterOfTheWayToEachCheck() {
        let time = PasswordCheckTime(initial: .milliseconds(200))
        time.observe(.milliseconds(600))
        #expect(abs(time.seconds - 0.3) < 1e-9)
        time.observe(.milliseconds(300))
        #expect(abs(time.seconds - 0.3) < 1e-9)
    }
}

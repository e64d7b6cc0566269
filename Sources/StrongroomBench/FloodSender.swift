import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The login flood of `--login-flood`: failed logins at a fixed rate (open loop), over a few
/// keep-alive connections of its own, nine in ten for names that do not exist and one in ten
/// for the run's own user with a wrong password. Answers are counted by status, not judged.
///
/// The flood measures what an unauthenticated attacker costs the server, and with the bench
/// on the server's machine the sender's own CPU lands in the same figure. Through the
/// general HTTP client (a task, a URL parse and a header set per request) a failed login
/// cost the bench about 0.3 ms of CPU, a seventh of a core at 500 a second; here a request is
/// a few hundred bytes written by the connection's own event loop, and an answer is read
/// only for its status.
struct FloodSender: Sendable {
    /// Where the logins go.
    struct Target: Sendable, Equatable {
        let host: String
        let port: Int
        let tls: Bool

        /// The `Host` header: the port only when it is not the scheme's own.
        var hostHeader: String { port == (tls ? 443 : 80) ? host : "\(host):\(port)" }

        /// The name TLS sends (SNI) and checks the certificate against: a host name, never an
        /// address (for an address, the certificate is checked against the address).
        var serverName: String? { host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host }
    }

    /// What every connection shares: the request numbers and when each is due.
    final class Schedule: Sendable {
        let start: NIODeadline
        let deadline: NIODeadline
        let rate: Double
        private let next = Atomic<Int>(0)

        init(rate: Double, duration: TimeAmount) {
            self.rate = rate
            self.start = .now()
            self.deadline = start + duration
        }

        /// The next request's number and when it is due; nil once that is past the deadline.
        func take() -> (number: Int, due: NIODeadline)? {
            let number = next.add(1, ordering: .relaxed).oldValue
            let due = start + .nanoseconds(Int64(Double(number) * 1e9 / rate))
            return due < deadline ? (number, due) : nil
        }
    }

    let target: Target
    /// The run's own user, whose wrong password is every tenth login.
    let username: String?
    let seed: UInt64

    /// Sends `rate` failed logins a second for `duration` over `connections` connections.
    func run(rate: Double, duration: TimeAmount, connections: Int) async -> BenchReport.LoginFlood {
        let schedule = Schedule(rate: rate, duration: duration)
        let tls: NIOSSLContext?
        do {
            tls = target.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        } catch {
            return BenchReport.LoginFlood(sent: 0, answers: ["transport": 1])
        }
        return await withTaskGroup(of: BenchReport.LoginFlood.self) { group in
            for _ in 0..<connections {
                group.addTask { await self.sender(schedule, tls: tls) }
            }
            return await group.reduce(into: BenchReport.LoginFlood(sent: 0, answers: [:])) { total, part in total.add(part) }
        }
    }

    /// One connection's share, reconnecting if the server closes it before the deadline.
    private func sender(_ schedule: Schedule, tls: NIOSSLContext?) async -> BenchReport.LoginFlood {
        var tally = BenchReport.LoginFlood(sent: 0, answers: [:])
        while NIODeadline.now() < schedule.deadline {
            let session = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: FloodConnection.Session.self)
            do {
                let request = requestWriter(host: target.hostHeader)
                let serverName = target.serverName
                _ = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(10))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let tls {
                                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                            }
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            try channel.pipeline.syncOperations.addHandler(FloodConnection(schedule: schedule, request: request, session: session))
                        }
                    }
                    .connect(host: target.host, port: target.port).get()
            } catch {
                session.fail(error)
            }
            guard let outcome = try? await session.futureResult.get() else {
                // Not even connected: count it as one failed send, and do not spin.
                tally.add(BenchReport.LoginFlood(sent: 1, answers: ["transport": 1]))
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            tally.add(outcome.tally)
            if outcome.finished { break }
        }
        return tally
    }

    /// Writes login `number`'s request: its body is the only part that changes.
    private func requestWriter(host: String) -> FloodConnection.Request {
        let username = self.username ?? "flood"
        let seed = self.seed
        return FloodConnection.Request(host: host) { number in
            let name = number % 10 == 0 ? username : "flood-\(seed)-\(number)"
            return #"{"username":"\#(name)","password":"not-the-password-\#(number)"}"#
        }
    }
}

extension FloodSender.Target {
    /// `http://host[:port]` or `https://…`; nil for anything else. (In an extension, so that
    /// the memberwise initializer stays.)
    init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        let tls = scheme == "https"
        self.init(host: host, port: components.port ?? (tls ? 443 : 80), tls: tls)
    }
}

/// One keep-alive connection of the flood, run wholly on its event loop: send the next due
/// login, wait for its answer, record the status, repeat until the schedule runs out.
private final class FloodConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Request: Sendable {
        let host: String
        let body: @Sendable (Int) -> String
    }

    /// What a connection did before it ended: its answers, and whether the schedule ran out
    /// (rather than the connection closing under it).
    struct Session: Sendable {
        var tally = BenchReport.LoginFlood(sent: 0, answers: [:])
        var finished = false
    }

    private let schedule: FloodSender.Schedule
    private let request: Request
    private let done: EventLoopPromise<Session>
    private var session = Session()
    private var status: String?
    private var awaitingAnswer = false
    /// Closes the connection if an answer takes longer than `answerTimeout`.
    private var answerDeadline: Scheduled<Void>?
    /// As long as the bench's own client waits for an answer before calling it lost.
    static let answerTimeout = TimeAmount.seconds(60)
    private var ended = false

    init(schedule: FloodSender.Schedule, request: Request, session: EventLoopPromise<Session>) {
        self.schedule = schedule
        self.request = request
        self.done = session
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = String(head.status.code)
        case .body:
            break
        case .end:
            answerDeadline?.cancel()
            awaitingAnswer = false
            record(status ?? "transport")
            status = nil
            sendNext(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if awaitingAnswer { record("transport") }
        end()
        context.fireChannelInactive()
    }

    private func sendNext(_ context: ChannelHandlerContext) {
        guard let (number, due) = schedule.take() else {
            session.finished = true
            end()
            context.close(promise: nil)
            return
        }
        awaitingAnswer = true
        if due > .now() {
            context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { self.send(number, context) }
        } else {
            send(number, context)
        }
    }

    private func send(_ number: Int, _ context: ChannelHandlerContext) {
        guard !ended else { return }
        let body = request.body(number)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/auth/login")
        head.headers.add(name: "Host", value: request.host)
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(body.utf8.count))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        answerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.answerTimeout) { context.close(promise: nil) }
    }

    private func record(_ answer: String) {
        session.tally.sent += 1
        session.tally.answers[answer, default: 0] += 1
    }

    private func end() {
        guard !ended else { return }
        ended = true
        done.succeed(session)
    }
}

extension BenchReport.LoginFlood {
    mutating func add(_ other: BenchReport.LoginFlood) {
        sent += other.sent
        answers.merge(other.answers, uniquingKeysWith: +)
    }
}

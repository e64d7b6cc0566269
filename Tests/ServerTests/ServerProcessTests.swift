import Foundation
import Subprocess
import SystemPackage
import Testing

/// The `strongroom` binary itself, as an operator runs it: a real process on loopback.
///
/// Children are spawned with Subprocess, not Foundation's `Process`: on Linux, `Process.run()`
/// reads past the end of `/proc/self/fd` entries and crashed this test process whenever the
/// parallel suites held more than about 1,360 descriptors open (they peak near 1,850).
@Suite("The strongroom process", .serialized, .timeLimit(.minutes(3)))
struct ServerProcessTests {
    /// `swift build --build-tests` puts the executable beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("strongroom").path

    /// This process's environment without any `STRONGROOM_*` setting (the test runner's own
    /// PostgreSQL URLs among them), plus what the test asks for.
    static func childEnvironment(_ extra: [String: String]) -> Environment {
        var changes: [Environment.Key: String?] = [:]
        for name in ProcessInfo.processInfo.environment.keys where name.hasPrefix("STRONGROOM_") {
            changes[Environment.Key(stringLiteral: name)] = .some(nil)
        }
        for (name, value) in extra {
            changes[Environment.Key(stringLiteral: name)] = value
        }
        return .inherit.updating(changes)
    }

    struct Finished {
        let status: TerminationStatus
        let stdout: String
        let stderr: String
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-proc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The most output kept from a command or the server; more fails the run.
    static let outputLimit = 1 << 20

    /// Runs a command to completion; past `timeout` seconds it is killed and the test fails.
    static func run(
        _ executable: Executable, _ arguments: [String], environment: [String: String] = [:], stdin: String = "", timeout: Double = 30
    ) async throws -> Finished {
        let result = try await withDeadline(seconds: timeout, "\(executable) \(arguments.joined(separator: " "))") {
            try await Subprocess.run(
                executable, arguments: Arguments(arguments), environment: childEnvironment(environment),
                input: .string(stdin), output: .string(limit: outputLimit), error: .string(limit: outputLimit)
            )
        }
        return Finished(status: result.terminationStatus, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Runs `work`, cancelling it after `seconds`; Subprocess kills a child whose run is cancelled.
    static func withDeadline<T: Sendable>(seconds: Double, _ what: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw TestFailure("\(what) did not finish within \(seconds) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Where a started server listens.
    struct Listening {
        let baseURL: String
        let port: Int
    }

    /// How a server run ended: what the test's body answered, the exit and the server's logs.
    struct Served<Value: Sendable> {
        let value: Value
        let status: TerminationStatus
        let logs: String
    }

    /// Starts `strongroom serve` on a free port, runs `body` while it serves, then sends it
    /// `stopSignal` (SIGINT by default; SIGTERM has a test of its own) and waits for its exit.
    static func withServer<Value: Sendable>(
        arguments: [String], environment: [String: String], directory: String, stopSignal: Signal = .interrupt,
        _ body: (Listening) async throws -> Value
    ) async throws -> Served<Value> {
        let result = try await Subprocess.run(
            .path(FilePath(binary)), arguments: Arguments(["serve", "--port", "0"] + arguments),
            environment: childEnvironment(environment), workingDirectory: FilePath(directory),
            input: .none, output: .sequence, error: .string(limit: outputLimit)
        ) { execution -> Result<Value, TestFailure> in
            // The first line of standard output is "listening on URL"; anything else (or none,
            // when the server exits first) is a failed start, reported with the server's logs.
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            let first = try await lines.next() ?? ""
            guard first.hasPrefix("listening on "), let port = Int(first.split(separator: ":").last ?? "") else {
                try? execution.send(signal: .kill)
                return .failure(TestFailure("server did not start: \(first)"))
            }
            let value = try await body(Listening(baseURL: String(first.dropFirst("listening on ".count)), port: port))
            try execution.send(signal: stopSignal)
            return .success(value)
        }
        let logs = result.standardError
        switch result.closureResult {
        case .success(let value): return Served(value: value, status: result.terminationStatus, logs: logs)
        case .failure(let failure): throw TestFailure("\(failure.description)\n\(logs)")
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func developmentServesOnLoopbackAndKeepsItsDataInTheDataDirectory() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let served = try await Self.withServer(arguments: ["--log-level", "warning"], environment: [:], directory: directory) { server in
            #expect(server.baseURL.hasPrefix("http://127.0.0.1:"))
            let health = try await Self.run(.name("curl"), ["-s", "\(server.baseURL)/health"])
            #expect(health.stdout == #"{"status":"ok"}"#)
        }
        #expect(served.status == .exited(0))
        let data = directory + "/strongroom-data"
        for file in ["strongroom.db", "master.key", "initial-admin-password"] {
            let mode = try FileManager.default.attributesOfItem(atPath: data + "/" + file)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(file)")
        }
        let dirMode = try FileManager.default.attributesOfItem(atPath: data)[.posixPermissions] as? NSNumber
        #expect(dirMode?.intValue == 0o700)
        // The generated password is never in the logs.
        let password = try String(contentsOfFile: data + "/initial-admin-password", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        #expect(!password.isEmpty)
        #expect(!served.logs.contains(password))
    }

    @Test func aClientTricklingItsHeadersIsCutOff() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let served = try await Self.withServer(arguments: [], environment: ["STRONGROOM_HEADER_TIMEOUT": "1"], directory: directory) { server in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(server.port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(connected == 0)
            // One header byte every 300 ms: never idle long enough for the idle timeout, but the
            // head is not complete within the 1 s header timeout, so the server must hang up.
            let start = Date()
            var closedAfter: TimeInterval?
            for byte in Array("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 40) {
                var b = byte
                if send(fd, &b, 1, Int32(MSG_NOSIGNAL)) != 1 {
                    closedAfter = Date().timeIntervalSince(start)
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
            }
            let closed = try #require(closedAfter, "the server kept a trickling connection open")
            #expect(closed < 4)
        }
        #expect(served.status == .exited(0))
    }

    @Test func sigtermFinishesGracefully() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let served = try await Self.withServer(arguments: [], environment: [:], directory: directory, stopSignal: .terminate) { _ in }
        #expect(served.status == .exited(0))
    }

    @Test func productionWithoutTLSOrMasterKeyRefusesInOneLine() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let noTLS = try await Self.run(.path(FilePath(Self.binary)), ["serve", "--environment", "production", "--data-dir", directory])
        #expect(noTLS.status != .exited(0))
        #expect(noTLS.stderr.contains("TLS"))
        #expect(noTLS.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(noTLS.stdout.isEmpty)
        let noKey = try await Self.run(
            .path(FilePath(Self.binary)), ["serve", "--environment", "production", "--tls-terminated-upstream", "--data-dir", directory]
        )
        #expect(noKey.status != .exited(0))
        #expect(noKey.stderr.contains("master key"))
        #expect(noKey.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/strongroom.db"))
    }

    @Test func productionServesHTTPSWithModernTLSOnly() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await Self.run(.name("openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", directory + "/key.pem",
            "-out", directory + "/cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try #require(made.status == .exited(0), "openssl could not make a certificate: \(made.stderr)")
        let masterKey = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let served = try await Self.withServer(
            arguments: ["--environment", "production", "--tls-cert", directory + "/cert.pem", "--tls-key", directory + "/key.pem",
                        "--data-dir", directory + "/data", "--log-level", "warning"],
            environment: ["STRONGROOM_MASTER_KEY": masterKey, "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": "a fresh strong passphrase"],
            directory: directory
        ) { server in
            #expect(server.baseURL == "https://127.0.0.1:\(server.port)")

            func handshake(_ options: [String]) async throws -> Finished {
                try await Self.run(.name("openssl"), ["s_client", "-connect", "127.0.0.1:\(server.port)"] + options, timeout: 10)
            }
            // SECLEVEL=0 lets the client offer old protocols, so a refusal is the server's: it
            // answers with a protocol_version alert.
            for old in ["-tls1", "-tls1_1"] {
                let attempt = try await handshake([old, "-cipher", "DEFAULT@SECLEVEL=0"])
                #expect(attempt.status != .exited(0), "\(old) was accepted")
                #expect((attempt.stdout + attempt.stderr).contains("alert protocol version"), "\(old): \(attempt.stderr)")
            }
            let tls12 = try await handshake(["-tls1_2"])
            #expect(tls12.stdout.contains("New, TLSv1.2, Cipher is ECDHE-"))
            let staticRSA = try await handshake(["-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-SHA"])
            #expect(staticRSA.status != .exited(0), "a TLS 1.2 suite without ECDHE was accepted")
            let cbc = try await handshake(["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384"])
            #expect(cbc.status != .exited(0), "a TLS 1.2 CBC suite was accepted")
            let tls13 = try await handshake(["-tls1_3"])
            #expect(tls13.stdout.contains("New, TLSv1.3, Cipher is TLS_"))

            let health = try await Self.run(.name("curl"), ["-s", "-D", "-", "--cacert", directory + "/cert.pem", "\(server.baseURL)/health"])
            #expect(health.stdout.lowercased().contains("strict-transport-security: max-age="))
            #expect(health.stdout.hasSuffix(#"{"status":"ok"}"#))
        }
        #expect(served.status == .exited(0))
    }
}

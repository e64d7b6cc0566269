import Foundation
import Testing

/// The `strongroom` binary itself, as an operator runs it: a real process on loopback.
@Suite("The strongroom process", .serialized)
struct ServerProcessTests {
    /// `swift build --build-tests` puts the executable beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("strongroom").path

    /// A tool from PATH (scripts/test installs curl and openssl when they are missing).
    static func tool(_ name: String) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return "/usr/bin/\(name)"
    }

    /// This process's environment without any `STRONGROOM_*` setting (the test runner's own
    /// PostgreSQL URLs among them), plus what the test asks for.
    static func childEnvironment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STRONGROOM_") }.merging(extra) { $1 }
    }

    struct Finished {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-proc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a command to completion (bounded by `timeout`, then killed).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: Double = 30) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = Self.childEnvironment(environment)
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Finished(
            status: process.terminationStatus,
            stdout: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            stderr: String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }

    /// A running server; `stop()` sends SIGTERM and waits.
    final class Running {
        let process: Process
        let output: Pipe
        let errors: Pipe
        let baseURL: String
        let port: Int

        init(arguments: [String], environment: [String: String], directory: String) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: ServerProcessTests.binary)
            process.arguments = ["serve", "--port", "0"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.environment = ServerProcessTests.childEnvironment(environment)
            output = Pipe()
            errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Read the first line ("listening on …") byte by byte, with a deadline.
            var line = Data()
            let deadline = Date().addingTimeInterval(60)
            let handle = output.fileHandleForReading
            while Date() < deadline {
                let byte = handle.readData(ofLength: 1)
                if byte.isEmpty || byte == Data([0x0A]) { break }
                line.append(byte)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("listening on "), let port = Int(text.split(separator: ":").last ?? "") else {
                process.terminate()
                process.waitUntilExit()
                throw TestFailure("server did not start: \(text) \(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            }
            baseURL = String(text.dropFirst("listening on ".count))
            self.port = port
        }

        @discardableResult
        func stop() -> Int32 {
            process.interrupt()  // SIGINT; SIGTERM is covered by the graceful-shutdown test
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func developmentServesOnLoopbackAndKeepsItsDataInTheDataDirectory() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try Running(arguments: ["--log-level", "warning"], environment: [:], directory: directory)
        #expect(server.baseURL.hasPrefix("http://127.0.0.1:"))
        let health = try Self.run(Self.tool("curl"), ["-s", "\(server.baseURL)/health"])
        #expect(health.stdout == #"{"status":"ok"}"#)
        #expect(server.stop() == 0)
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
        let logs = String(decoding: server.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!logs.contains(password))
    }

    @Test func aClientTricklingItsHeadersIsCutOff() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try Running(arguments: [], environment: ["STRONGROOM_HEADER_TIMEOUT": "1"], directory: directory)
        defer { server.stop() }
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
            usleep(300_000)
        }
        let closed = try #require(closedAfter, "the server kept a trickling connection open")
        #expect(closed < 4)
    }

    @Test func sigtermFinishesGracefully() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try Running(arguments: [], environment: [:], directory: directory)
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(server.process.terminationReason == .exit)
    }

    @Test func productionWithoutTLSOrMasterKeyRefusesInOneLine() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let noTLS = try Self.run(Self.binary, ["serve", "--environment", "production", "--data-dir", directory])
        #expect(noTLS.status != 0)
        #expect(noTLS.stderr.contains("TLS"))
        #expect(noTLS.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(noTLS.stdout.isEmpty)
        let noKey = try Self.run(Self.binary, ["serve", "--environment", "production", "--tls-terminated-upstream", "--data-dir", directory])
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("master key"))
        #expect(noKey.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/strongroom.db"))
    }

    @Test func productionServesHTTPSWithModernTLSOnly() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try Self.run(Self.tool("openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", directory + "/key.pem",
            "-out", directory + "/cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try #require(made.status == 0, "openssl could not make a certificate: \(made.stderr)")
        let masterKey = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let server = try Running(
            arguments: ["--environment", "production", "--tls-cert", directory + "/cert.pem", "--tls-key", directory + "/key.pem",
                        "--data-dir", directory + "/data", "--log-level", "warning"],
            environment: ["STRONGROOM_MASTER_KEY": masterKey, "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": "a fresh strong passphrase"],
            directory: directory
        )
        defer { server.stop() }
        #expect(server.baseURL == "https://127.0.0.1:\(server.port)")

        func handshake(_ options: [String]) throws -> Finished {
            try Self.run(Self.tool("openssl"), ["s_client", "-connect", "127.0.0.1:\(server.port)"] + options, stdin: "", timeout: 10)
        }
        // SECLEVEL=0 lets the client offer old protocols, so a refusal is the server's: it
        // answers with a protocol_version alert.
        for old in ["-tls1", "-tls1_1"] {
            let attempt = try handshake([old, "-cipher", "DEFAULT@SECLEVEL=0"])
            #expect(attempt.status != 0, "\(old) was accepted")
            #expect((attempt.stdout + attempt.stderr).contains("alert protocol version"), "\(old): \(attempt.stderr)")
        }
        let tls12 = try handshake(["-tls1_2"])
        #expect(tls12.stdout.contains("New, TLSv1.2, Cipher is ECDHE-"))
        let staticRSA = try handshake(["-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-SHA"])
        #expect(staticRSA.status != 0, "a TLS 1.2 suite without ECDHE was accepted")
        let cbc = try handshake(["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384"])
        #expect(cbc.status != 0, "a TLS 1.2 CBC suite was accepted")
        let tls13 = try handshake(["-tls1_3"])
        #expect(tls13.stdout.contains("New, TLSv1.3, Cipher is TLS_"))

        let health = try Self.run(Self.tool("curl"), ["-s", "-D", "-", "--cacert", directory + "/cert.pem", "\(server.baseURL)/health"])
        #expect(health.stdout.lowercased().contains("strict-transport-security: max-age="))
        #expect(health.stdout.hasSuffix(#"{"status":"ok"}"#))
    }
}

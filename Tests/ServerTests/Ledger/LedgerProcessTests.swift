import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Storage
import StrongroomKernel
import StrongroomTestSupport
import Subprocess
import SystemPackage
import Testing

/// Two `strongroom` processes on one PostgreSQL database, raced over loopback: the posting
/// path's locks and the audit chain's lock hold across processes, not only across the tasks
/// of one.
@Suite("Ledger across processes", .serialized)
struct LedgerProcessTests {
    static let password = "a fresh strong passphrase"

    /// One keep-alive connection to one server, with the administrator's token.
    struct Connection: Sendable {
        let client: TestClient
        let token: String

        func send(
            _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, headers extra: HTTPFields = [:]
        ) async throws -> (status: Int, body: Data) {
            var headers: HTTPFields = [.contentType: "application/json"]
            headers.append(contentsOf: extra)
            if !token.isEmpty { headers[.authorization] = "Bearer \(token)" }
            let response = try await client.execute(.init(path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
            return (Int(response.status.code), Data((response.body ?? ByteBuffer()).readableBytesView))
        }

        static func open(port: Int, token: String) async throws -> Connection {
            let client = TestClient(host: "127.0.0.1", port: port)
            client.connect()
            return Connection(client: client, token: token)
        }

        /// Logs the administrator in on this server and answers the access token.
        static func adminToken(port: Int) async throws -> String {
            let anonymous = try await open(port: port, token: "")
            let login = try await anonymous.send(.post, "/v1/auth/login", #"{"username":"admin","password":"\#(LedgerProcessTests.password)"}"#)
            try? await anonymous.client.shutdown()
            return try #require((try JSONSerialization.jsonObject(with: login.body) as? [String: Any])?["access_token"] as? String)
        }

        /// Logs the administrator in on this server, enrols an authenticator and steps up:
        /// the token the incident controls and the administration routes need.
        static func steppedUpAdminToken(port: Int) async throws -> String {
            let plain = try await open(port: port, token: try await adminToken(port: port))
            let answer: (status: Int, body: Data)
            do {
                let authenticator = try await plain.enrol()
                answer = try await plain.send(.post, "/v1/auth/elevate", #"{"totp":"\#(try await authenticator.code())"}"#)
            } catch {
                try? await plain.client.shutdown()
                throw error
            }
            try? await plain.client.shutdown()
            return try #require((try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["access_token"] as? String)
        }

        /// Enrols an authenticator for this connection's user and confirms it.
        func enrol() async throws -> TestAuthenticator {
            let enrolment = try await send(.post, "/v1/auth/mfa/totp")
            let encoded = try #require((try JSONSerialization.jsonObject(with: enrolment.body) as? [String: Any])?["secret"] as? String)
            let authenticator = TestAuthenticator(secret: try #require(Base32.decode(encoded)), clock: SystemClock())
            let confirmed = try await send(.post, "/v1/auth/mfa/totp/confirm", #"{"totp":"\#(try await authenticator.code())"}"#)
            #expect(confirmed.status == 204, "\(String(decoding: confirmed.body, as: UTF8.self))")
            return authenticator
        }

        /// POSTs `body`, expects 201, and answers the created id.
        func created(_ path: String, _ body: String) async throws -> String {
            let answer = try await send(.post, path, body)
            #expect(answer.status == 201, "\(path): \(String(decoding: answer.body, as: UTF8.self))")
            return try #require((try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["id"] as? String)
        }

        /// An organization and ledger with USD, `@alice` funded with `funding` and `@bob`;
        /// answers the ledger's base path.
        func books(funding: String) async throws -> String {
            let organization = try await created("/v1/organizations", #"{"legalName":"Acme","legalDocument":"1"}"#)
            let ledger = try await created("/v1/organizations/\(organization)/ledgers", #"{"name":"Main"}"#)
            let base = "/v1/organizations/\(organization)/ledgers/\(ledger)"
            _ = try await created("\(base)/assets", #"{"name":"US Dollar","type":"currency","code":"USD"}"#)
            _ = try await created("\(base)/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@alice"}"#)
            _ = try await created("\(base)/accounts", #"{"assetCode":"USD","type":"deposit","alias":"@bob"}"#)
            _ = try await created("\(base)/transactions/inflow", LedgerFixture.inflow("@alice", funding))
            return base
        }
    }

    /// What two server processes on one PostgreSQL database share: one master key, the
    /// administrator's password, both database URLs, and cheap password hashing (a login
    /// must not hold a connection idle past the header timeout on a loaded 2-core machine).
    /// `patientHeaders` lengthens the header timeout for connections opened before a race
    /// starts, which on a loaded machine (the whole suite on two cores) can sit idle past the
    /// 10 s head timeout before their first request; timeouts are not what those tests are
    /// about (the resource suite and ServerProcessTests cover them).
    static func environment(for database: TestDatabase, patientHeaders: Bool = false) throws -> [String: String] {
        var environment = [
            "STRONGROOM_MASTER_KEY": (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(),
            "STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": password,
            "STRONGROOM_DATABASE_URL": try text(database.serviceURL),
            "STRONGROOM_DATABASE_OWNER_URL": try text(database.ownerURL),
            "STRONGROOM_PASSWORD_HASH_COST": "4",
        ]
        if patientHeaders { environment["STRONGROOM_HEADER_TIMEOUT"] = "120" }
        return environment
    }

    static func text(_ url: DatabaseURL) throws -> String {
        guard case .postgres(let t) = url, let password = t.password else { throw ServerProcessTests.TestFailure("not a PostgreSQL URL") }
        return "postgres://\(t.username):\(password.revealed)@\(t.host):\(t.port)/\(t.database)"
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func twoProcessesNeverOverdrawAndCommitOnce() async throws {
        let database = try await TestDatabase.create(.postgres)
        do {
            let failedLogins = try await race(on: database)
            try await checkTheAuditChain(of: database, failedLogins: failedLogins)
        } catch {
            await database.destroy()
            throw error
        }
        await database.destroy()
    }

    /// After the race (both servers stopped, their outboxes flushed): the chain verifies with
    /// the `strongroom audit verify` binary, with no gap and no fork, every failed login is
    /// counted, and one edited record makes the same command exit 1.
    private func checkTheAuditChain(of database: TestDatabase, failedLogins: Int) async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let verify = ["audit", "verify", "--data-dir", directory, "--database-url", try Self.text(database.serviceURL)]
        let strongroom = Executable.path(FilePath(ServerProcessTests.binary))
        let valid = try await ServerProcessTests.run(strongroom, verify)
        #expect(valid.status == .exited(0), "\(valid.stdout) \(valid.stderr)")
        #expect(valid.stdout.contains("valid: "), "\(valid.stdout)")

        let owner = try await Persistence.open(database.ownerURL, maximumConnections: 1, logger: TestDatabase.logger)
        do {
            let rows = try await owner.direct.query(
                "SELECT resource, summary FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure'", []
            )
            var counted = 0
            for row in rows {
                let summary = try JSONSerialization.jsonObject(with: Data(try row.text("summary").utf8)) as? [String: Any]
                counted += try row.text("resource") == "aggregate" ? (summary?["count"] as? Int ?? 0) : 1
            }
            #expect(counted == failedLogins)
            try await owner.transaction { executor in
                try await executor.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
                try await executor.execute("UPDATE audit_events SET actor_address = '10.9.9.9' WHERE seq = 7")
            }
            await owner.close()
        } catch {
            await owner.close()
            throw error
        }
        let broken = try await ServerProcessTests.run(strongroom, verify)
        #expect(broken.status == .exited(1), "\(broken.stdout) \(broken.stderr)")
        #expect(broken.stdout.contains("first bad seq 7:"), "\(broken.stdout)")
    }

    /// Answers how many failed logins it sent alongside the transfers.
    private func race(on database: TestDatabase) async throws -> Int {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = try Self.environment(for: database, patientHeaders: true)
        let arguments = { (name: String) in ["--data-dir", directory + "/" + name, "--log-level", "warning"] }
        return try await ServerProcessTests.withServer(arguments: arguments("a"), environment: environment, directory: directory) { first in
            try await ServerProcessTests.withServer(arguments: arguments("b"), environment: environment, directory: directory) { second in
                try await race(first: first.port, second: second.port)
            }.value
        }.value
    }

    /// The race itself, between the servers on ports `first` and `second`.
    private func race(first: Int, second: Int) async throws -> Int {
        let token = try await Connection.adminToken(port: first)
        let setup = try await Connection.open(port: second, token: token)
        let base = try await setup.books(funding: "100.00")

        // Sixteen connections, half to each process, each sending five transfers of 2.50:
        // 80 attempts at 200.00 against 100.00. Exactly forty succeed.
        // Alongside, four anonymous connections fail to log in, ten times each, on both
        // servers: their records reach the same chain through each process's outbox. They
        // share one source address, so past its 20th failure the throttle answers 429.
        var connections: [Connection] = []
        for index in 0..<16 { connections.append(try await Connection.open(port: index % 2 == 0 ? first : second, token: token)) }
        var intruders: [Connection] = []
        for index in 0..<4 { intruders.append(try await Connection.open(port: index % 2 == 0 ? first : second, token: "")) }
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for intruder in intruders {
                group.addTask {
                    for _ in 0..<10 {
                        let answer = try await intruder.send(.post, "/v1/auth/login", #"{"username":"admin","password":"not the password"}"#)
                        #expect([401, 429].contains(answer.status))
                    }
                    return []
                }
            }
            for connection in connections {
                group.addTask {
                    var statuses: [Int] = []
                    for _ in 0..<5 {
                        statuses.append(try await connection.send(.post, "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", "2.50")).status)
                    }
                    return statuses
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(statuses.filter { $0 == 201 }.count == 40, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 422 })

        // Every connection races to commit or cancel one pending transaction: one wins.
        let held = try await setup.created("\(base)/transactions/json", LedgerFixture.transfer("@bob", "@alice", "30.00", extra: #""pending":true,"#))
        let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask { try await connection.send(.post, "\(base)/transactions/\(held)/\(index % 2 == 0 ? "commit" : "cancel")").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == 201 }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == 422 }.count == connections.count - 1)

        let alice = try await setup.send(.get, "\(base)/accounts/alias/@alice/balances")
        let available = ((try JSONSerialization.jsonObject(with: alice.body) as? [String: Any])?["items"] as? [[String: Any]])?.first?["available"]
        #expect(["0.00", "30.00"].contains(available as? String ?? "?"))
        let audit = BookAudit(base: base) { path in try await setup.send(.get, path) }
        #expect(try await audit.verify() >= 83)
        for connection in connections + intruders + [setup] { try? await connection.client.shutdown() }
        return intruders.count * 10
    }

    /// A pending transaction whose expiry passes while no server runs is cancelled by the
    /// next process to start: expiry lives in the database, not in a timer.
    @Test func aPendingTransactionExpiresAcrossARestart() async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = ["--data-dir", directory + "/data", "--log-level", "warning"]
        let environment = ["STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD": Self.password]

        let first = try await ServerProcessTests.withServer(arguments: arguments, environment: environment, directory: directory) { server in
            let token = try await Connection.adminToken(port: server.port)
            let connection = try await Connection.open(port: server.port, token: token)
            let base = try await connection.books(funding: "10.00")
            let expiry = RFC3339.format(SystemClock().now().adding(seconds: 2))
            let held = try await connection.created(
                "\(base)/transactions/json", LedgerFixture.transfer("@alice", "@bob", "4.00", extra: #""pending":true,"pendingExpiresAt":"\#(expiry)","#)
            )
            try? await connection.client.shutdown()
            return (base, held, token)
        }
        #expect(first.status == .exited(0))
        let (base, held, token) = first.value

        // Stopped past the expiry; the restarted process's sweeper finds it due.
        try await Task.sleep(for: .seconds(3))
        let restarted = try await ServerProcessTests.withServer(arguments: arguments, environment: environment, directory: directory) { server in
            let connection = try await Connection.open(port: server.port, token: token)
            var status = "PENDING"
            let deadline = Date().addingTimeInterval(10)
            while status == "PENDING", Date() < deadline {
                let answer = try await connection.send(.get, "\(base)/transactions/\(held)")
                status = ((try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["status"] as? [String: Any])?["code"] as? String ?? "?"
                if status == "PENDING" { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(status == "CANCELED")
            let alice = try await connection.send(.get, "\(base)/accounts/alias/@alice/balances")
            let balance = ((try JSONSerialization.jsonObject(with: alice.body) as? [String: Any])?["items"] as? [[String: Any]])?.first
            #expect(balance?["available"] as? String == "10.00")
            #expect(balance?["onHold"] as? String == "0.00")
            try? await connection.client.shutdown()
        }
        #expect(restarted.status == .exited(0))
    }
}

/// What one `strongroom bench` run does: the server, who acts, and the shape of the load.
public struct BenchPlan: Sendable {
    public var url: String
    public var credentials: Credentials
    /// Concurrent connections (and, closed loop, requests in flight).
    public var connections: Int
    /// Accounts created and funded before the measured interval.
    public var accounts: Int
    /// Seconds of measured load.
    public var duration: Double
    /// Requests per second, open loop; nil runs closed loop (each connection sends its next
    /// request when the last is answered).
    public var rate: Double?
    /// Zipf exponent of the account draw; nil draws uniformly.
    public var zipf: Double?
    /// Transfers per request through the batch endpoint; nil posts one transfer per request.
    public var batch: Int?
    public var seed: UInt64
    /// The most non-2xx answers (and transport errors) a run may see and pass, as a fraction.
    public var maxErrorRatio: Double = 0.001
    /// Where to write the transfers the server acknowledged (see `AcknowledgementLog`); none
    /// are kept when nil.
    public var acknowledgementFile: String?
    /// The server (or its database) is expected to die during the run, as the crash and
    /// database-fault suites make it: a worker stops at its first transport error, failed
    /// requests do not fail the run, and the books are left for `bench verify` to check once
    /// the server is back.
    public var expectInterruption = false
    /// Failed logins per second sent during the measured interval, alongside the transfers
    /// (wrong passwords, mostly for names that do not exist): how much an unauthenticated
    /// flood costs the ledger. None when nil.
    public var loginFloodRate: Double?
    /// Accounts created and frozen before the measured interval, beside the ones the load
    /// draws from and never in its traffic: what a freeze elsewhere in the ledger costs the
    /// postings that touch no frozen account.
    public var frozenAccounts = 0

    /// Connections the flood's senders open, beside the HTTP client's `connections`.
    static let floodSenders = 8

    public init(
        url: String, credentials: Credentials, connections: Int, accounts: Int, duration: Double, rate: Double?, zipf: Double?,
        batch: Int?, seed: UInt64
    ) {
        self.url = url
        self.credentials = credentials
        self.connections = connections
        self.accounts = accounts
        self.duration = duration
        self.rate = rate
        self.zipf = zipf
        self.batch = batch
        self.seed = seed
    }

    /// The asset every bench ledger holds, and its accounts' aliases.
    static let asset = "BNC"
    static func alias(_ index: Int) -> String { "@bench\(index)" }
    static func frozenAlias(_ index: Int) -> String { "@frozen\(index)" }
    /// What each account is funded with before the run.
    static let funding = "1000000.00"

    /// Minor units as the asset's major-unit text (scale 2): 42 → "0.42".
    static func value(minor: Int) -> String {
        "\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)"
    }

    /// One transfer's body: `value` minor units from one account to another.
    static func transfer(from source: Int, to destination: Int, minor: Int) -> String {
        let text = value(minor: minor)
        let amount = #"{"asset":"\#(asset)","value":"\#(text)"}"#
        return #"{"send":{"asset":"\#(asset)","value":"\#(text)","source":{"from":[{"accountAlias":"\#(alias(source))","amount":\#(amount)}]},"#
            + #""distribute":{"to":[{"accountAlias":"\#(alias(destination))","amount":\#(amount)}]}}}"#
    }
}

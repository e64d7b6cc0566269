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
    /// What each account is funded with before the run.
    static let funding = "1000000.00"

    /// One transfer's body: `value` minor units from one account to another.
    static func transfer(from source: Int, to destination: Int, minor: Int) -> String {
        let value = "\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)"
        let amount = #"{"asset":"\#(asset)","value":"\#(value)"}"#
        return #"{"send":{"asset":"\#(asset)","value":"\#(value)","source":{"from":[{"accountAlias":"\#(alias(source))","amount":\#(amount)}]},"#
            + #""distribute":{"to":[{"accountAlias":"\#(alias(destination))","amount":\#(amount)}]}}}"#
    }
}

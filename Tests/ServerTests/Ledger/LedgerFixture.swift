import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// An administrator's session on a fresh organization and ledger with a USD asset (scale 2),
/// driving the ledger through its HTTP routes.
struct LedgerFixture: Sendable {
    let client: any TestClientProtocol
    let token: String
    let organization: String
    let ledger: String

    var base: String { "/v1/organizations/\(organization)/ledgers/\(ledger)" }

    /// With `steppedUp`, the administrator enrols an authenticator and the session is a
    /// step-up's, which the incident controls need; after that the administrator's password
    /// alone no longer logs in, so a test makes at most one such fixture per server.
    static func make(_ client: any TestClientProtocol, steppedUp: Bool = false) async throws -> LedgerFixture {
        let token = steppedUp ? try await client.steppedUp().token : try await client.login("admin", TestServer.adminPassword).token
        let organization = try await client.json(
            .post, "/v1/organizations", token: token, body: #"{"legalName":"Acme Ltd","legalDocument":"12345678"}"#
        )
        #expect(organization.status == .created)
        let organizationID = try #require(try organization.object()["id"] as? String)
        let ledger = try await client.json(.post, "/v1/organizations/\(organizationID)/ledgers", token: token, body: #"{"name":"Main"}"#)
        #expect(ledger.status == .created)
        let fixture = LedgerFixture(
            client: client, token: token, organization: organizationID, ledger: try #require(try ledger.object()["id"] as? String)
        )
        let asset = try await fixture.post("/assets", #"{"name":"US Dollar","type":"currency","code":"USD"}"#)
        #expect(asset.status == .created)
        return fixture
    }

    func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.json(method, base + path, token: token, body: body, headers: headers)
    }

    func post(_ path: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.post, path, body, headers: headers)
    }

    func get(_ path: String) async throws -> TestResponse { try await send(.get, path) }

    /// Creates an account in `asset` and answers its id.
    @discardableResult
    func account(_ alias: String, asset: String = "USD") async throws -> String {
        let response = try await post("/accounts", #"{"assetCode":"\#(asset)","type":"deposit","alias":"\#(alias)","name":"\#(alias)"}"#)
        #expect(response.status == .created, "creating \(alias): \(response.text)")
        return try #require(try response.object()["id"] as? String)
    }

    /// The account's balance object.
    func balance(_ alias: String) async throws -> [String: Any] {
        let path = alias.hasPrefix("@external/")
            ? "/accounts/external/\(alias.dropFirst("@external/".count))/balances" : "/accounts/alias/\(alias)/balances"
        let response = try await get(path)
        #expect(response.status == .ok, "\(response.text)")
        let items = try #require(try response.object()["items"] as? [[String: Any]])
        return try #require(items.first)
    }

    /// `available` and `onHold` of the account's balance, as the API renders them.
    func money(_ alias: String) async throws -> (available: String, onHold: String) {
        let balance = try await balance(alias)
        return (balance["available"] as? String ?? "?", balance["onHold"] as? String ?? "?")
    }

    static func transfer(_ from: String, _ to: String, _ value: String, asset: String = "USD", extra: String = "") -> String {
        """
        {\(extra)"send":{"asset":"\(asset)","value":"\(value)",
          "source":{"from":[{"accountAlias":"\(from)","amount":{"asset":"\(asset)","value":"\(value)"}}]},
          "distribute":{"to":[{"accountAlias":"\(to)","amount":{"asset":"\(asset)","value":"\(value)"}}]}}}
        """
    }

    static func inflow(_ to: String, _ value: String, asset: String = "USD") -> String {
        #"{"send":{"asset":"\#(asset)","value":"\#(value)","distribute":{"to":[{"accountAlias":"\#(to)","remaining":"remaining"}]}}}"#
    }

    static func outflow(_ from: String, _ value: String, asset: String = "USD") -> String {
        #"{"send":{"asset":"\#(asset)","value":"\#(value)","source":{"from":[{"accountAlias":"\#(from)","share":{"percentage":100}}]}}}"#
    }

    /// Posts a transaction body and answers the created transaction, expecting 201.
    func posted(_ form: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await post("/transactions/\(form)", body)
        #expect(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        return try response.object()
    }
}

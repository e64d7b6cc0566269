import Foundation
import HTTPTypes
import HummingbirdTesting
import StrongroomTestSupport
import Synchronization
import Testing

@testable import StrongroomServer

/// Midaz's own clients send optional fields as explicit `null` (issue 20, API.md "Nulls").
/// Every create and update body of every Midaz route comes from one table of (route, body,
/// optional fields, required fields). Each optional field sent as `null`, one at a time and
/// all at once, is accepted as if it were left out: a create answers what it answers without
/// the field, a PATCH leaves the field as it was and still applies the others. `null` for a
/// required field, at any depth, is 400 naming it; unknown fields and wrong types stay 400.
@Suite("Midaz nulls")
struct MidazNullTests {
    @Test func everyOptionalFieldOfEveryMidazBodyMayBeNull() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let world = try await World.make(client)
            for body in Self.bodies {
                for (label, paths) in body.nullings {
                    switch body.target {
                    case .create(let path): try await world.expectNullIsAbsence(creating: path, body, label: label, nulls: paths)
                    case .update(let maker): try await world.expectNullLeavesUnchanged(maker, body, label: label, nulls: paths)
                    }
                }
            }
        }
    }

    @Test func nullForARequiredFieldIsRefusedNamingIt() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let world = try await World.make(client)
            for body in Self.bodies {
                for path in body.required {
                    let response = try await world.send(body, editing: [path: NSNull()])
                    try response.expectProblem(.badRequest, code: "SR-0002")
                    let field = try (response.object()["fields"] as? [[String: String]])?.first?["field"]
                    #expect(field == path, "\(body.name), \(path): \(response.text)")
                }
            }
        }
    }

    @Test func unknownFieldsWrongTypesAndValuesForUnimplementedMidazFieldsStay400() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let world = try await World.make(client)
            let organization = try #require(Self.bodies.first { $0.name == "organization create" })
            let transfer = try #require(Self.bodies.first { $0.name == "transaction json create" })
            let account = try #require(Self.bodies.first { $0.name == "account create" })
            let refusals: [(BodyCase, [String: Any], String, String)] = [
                (organization, ["planet": "Mars"], "SR-0003", "planet"),
                (organization, ["address.planet": NSNull()], "SR-0003", "address.planet"),
                (transfer, ["send.source.from[0].planet": 1], "SR-0003", "send.source.from[0].planet"),
                // Midaz fields Strongroom does not implement: null is absence, a value is refused.
                (transfer, ["route": "00000000-0000-0000-0000-000000000000"], "SR-0003", "route"),
                (transfer, ["send.distribute.to[0].rate": ["from": "USD", "to": "BRL", "value": 5, "externalId": "x"]], "SR-0003", "send.distribute.to[0].rate"),
                (transfer, ["send.source.from[0].isFrom": true], "SR-0003", "send.source.from[0].isFrom"),
                (organization, ["address.description": "head office"], "SR-0003", "address.description"),
                // Wrong types.
                (organization, ["legalName": 1], "SR-0002", "legalName"),
                (organization, ["status": "ACTIVE"], "SR-0002", "status"),
                (organization, ["metadata": "x"], "SR-0002", "metadata"),
                (account, ["blocked": "yes"], "SR-0002", "blocked"),
                (transfer, ["send.value": 1], "SR-0002", "send.value"),
                (transfer, ["send.distribute.to[0].share.percentage": "100"], "SR-0002", "send.distribute.to[0].share.percentage"),
            ]
            for (body, edits, code, field) in refusals {
                let response = try await world.send(body, editing: edits)
                try response.expectProblem(.badRequest, code: code)
                let named = try (response.object()["fields"] as? [[String: String]])?.first?["field"]
                #expect(named == field, "\(body.name), \(edits.keys.sorted()): \(response.text)")
            }
            // A null value inside metadata is the metadata's matter: still refused.
            try await world.send(organization, editing: ["metadata.tier": NSNull()]).expectProblem(.badRequest, code: "SR-0002")
        }
    }

    @Test func aBatchItemMayCarryNullsAsTheJSONRouteDoes() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let world = try await World.make(client)
            let transfer = try #require(Self.bodies.first { $0.name == "transaction json create" })
            let item = try world.text(world.edited(transfer.body, transfer.optional.map { ($0, NSNull() as Any?) }))
            let response = try await world.fixture.post("/transactions/batch", #"{"atomic":null,"transactions":[\#(item)]}"#)
            #expect(response.status == .ok, "\(response.text)")
            let items = try #require(try response.object()["items"] as? [[String: Any]])
            #expect(items.first?["status"] as? Int == 201, "\(response.text)")
        }
    }

    // MARK: - The table

    /// One body of one Midaz route: a create's or a PATCH's, with a value in every field the
    /// test nulls (or none, for the Midaz fields Strongroom does not implement).
    struct BodyCase: Sendable {
        let name: String
        let target: Target
        /// JSON text; `{…}` placeholders are the world's ids, `{U}` a fresh token per request.
        let body: String
        /// Optional fields, by the path the server names them with.
        let optional: [String]
        let required: [String]

        /// Which fields each request nulls: one at a time, then all at once, both as the
        /// outermost fields (a nulled object's inner fields left out) and the innermost ones.
        var nullings: [(String, [String])] {
            let outermost = optional.filter { path in !optional.contains { path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") } }
            let innermost = optional.filter { path in !optional.contains { $0.hasPrefix(path + ".") || $0.hasPrefix(path + "[") } }
            return optional.map { ($0, [$0]) } + [("all outermost", outermost), ("all innermost", innermost)]
        }
    }

    enum Target: Sendable {
        /// A create: the collection it is posted to.
        case create(String)
        /// A PATCH of a fresh entity the maker creates.
        case update(Maker)
    }

    enum Maker: Sendable {
        /// POSTs the body to the collection; the entity's path is the collection's plus its id.
        case entity(collection: String, body: String)
        /// A fresh account's balance.
        case balance
        /// A posted transaction, or its first operation.
        case transaction, operation
    }

    static let ledger = "{L}"
    static let status = #""status":{"code":"ACTIVE","description":"open"}"#
    static let otherStatus = #""status":{"code":"INACTIVE","description":"closed"}"#
    static let statusFields = ["status", "status.description"]

    static let organizationBody = """
        {"legalName":"Acme","legalDocument":"123","doingBusinessAs":"Acme Trading","parentOrganizationId":"{P1}",
         "address":{"line1":"Main St 1","line2":"Floor 2","zipCode":"01000","city":"Sao Paulo","state":"SP","country":"BR"},
         \(status),"metadata":{"tier":"gold"}}
        """
    static let addressFields = ["address", "address.line1", "address.line2", "address.zipCode", "address.city", "address.state", "address.country", "address.description"]
    static let namedBody = #"{"name":"Main",\#(status),"metadata":{"k":"v"}}"#
    static let namedChanges = #"{"name":"Other",\#(otherStatus),"metadata":{"k":"w"}}"#
    static let assetBody = #"{"name":"Coin","type":"crypto","code":"C{U}","scale":4,\#(status),"metadata":{"k":"v"}}"#
    static let portfolioBody = #"{"name":"Book","entityId":"E-1",\#(status),"metadata":{"k":"v"}}"#
    static let accountBody = """
        {"assetCode":"USD","type":"deposit","name":"Savings","alias":"@a{U}","parentAccountId":"{PA}","entityId":"E-1",
         "portfolioId":"{PF1}","segmentId":"{S1}","blocked":false,\(status),"metadata":{"k":"v"}}
        """
    /// A leg's fields, with those Midaz defines and Strongroom does not implement (absent
    /// from the body: nulling them adds them as null). `choice` is the amount, share or
    /// remaining the leg does not use (each leg uses exactly one).
    static func legFields(_ leg: String, unused choice: [String]) -> [String] {
        (["balanceKey", "description", "chartOfAccounts", "metadata", "rate", "route", "routeId", "isFrom"] + choice).map { "\(leg).\($0)" }
    }
    static let transactionFields = ["description", "code", "chartOfAccountsGroupName", "metadata", "route", "routeId", "transactionDate"]
    static let fromLeg = "send.source.from[0]"
    static let toLeg = "send.distribute.to[0]"

    static let transferBody = """
        {"description":"Pay","code":"T1","chartOfAccountsGroupName":"G","metadata":{"k":"v"},"pending":false,
         "send":{"asset":"USD","value":"1.00",
          "source":{"from":[{"accountAlias":"@alice","balanceKey":"default","amount":{"asset":"USD","value":"1.00"},
            "description":"out","chartOfAccounts":"1000","metadata":{"k":"v"}}]},
          "distribute":{"to":[{"accountAlias":"@bob","balanceKey":"default","share":{"percentage":100,"percentageOfPercentage":100},
            "description":"in","chartOfAccounts":"2000","metadata":{"k":"v"}}]}}}
        """
    static let inflowBody = """
        {"description":"In","code":"I1","chartOfAccountsGroupName":"G","metadata":{"k":"v"},
         "send":{"asset":"USD","value":"1.00",
          "distribute":{"to":[{"accountAlias":"@bob","balanceKey":"default","amount":{"asset":"USD","value":"1.00"},
            "description":"in","chartOfAccounts":"2000","metadata":{"k":"v"}}]}}}
        """
    static let outflowBody = """
        {"description":"Out","code":"O1","chartOfAccountsGroupName":"G","metadata":{"k":"v"},"pending":false,
         "send":{"asset":"USD","value":"1.00",
          "source":{"from":[{"accountAlias":"@alice","balanceKey":"default","remaining":"rest",
            "description":"out","chartOfAccounts":"1000","metadata":{"k":"v"}}]}}}
        """
    static let annotationChanges = #"{"description":"Changed","metadata":{"k":"w"}}"#

    static let bodies: [BodyCase] = [
        BodyCase(
            name: "organization create", target: .create("/v1/organizations"), body: organizationBody,
            optional: ["doingBusinessAs", "parentOrganizationId"] + addressFields + statusFields + ["metadata"],
            required: ["legalName", "legalDocument", "status.code"]
        ),
        BodyCase(
            name: "organization update", target: .update(.entity(collection: "/v1/organizations", body: organizationBody)),
            body: """
                {"legalName":"Acme Two","doingBusinessAs":"Acme 2","parentOrganizationId":"{P2}",
                 "address":{"line1":"Side St 2","line2":"Floor 3","zipCode":"02000","city":"Rio","state":"RJ","country":"BR"},
                 \(otherStatus),"metadata":{"tier":"silver"}}
                """,
            optional: ["legalName", "doingBusinessAs", "parentOrganizationId"] + addressFields + statusFields + ["metadata"],
            required: ["status.code"]
        ),
        BodyCase(
            name: "ledger create", target: .create("/v1/organizations/{ORG}/ledgers"), body: namedBody,
            optional: statusFields + ["metadata"], required: ["name", "status.code"]
        ),
        BodyCase(
            name: "ledger update", target: .update(.entity(collection: "/v1/organizations/{ORG}/ledgers", body: namedBody)),
            body: namedChanges, optional: ["name"] + statusFields + ["metadata"], required: ["status.code"]
        ),
        BodyCase(
            name: "asset create", target: .create("\(ledger)/assets"), body: assetBody,
            optional: ["scale"] + statusFields + ["metadata"], required: ["name", "type", "code", "status.code"]
        ),
        BodyCase(
            name: "asset update", target: .update(.entity(collection: "\(ledger)/assets", body: assetBody)),
            body: namedChanges, optional: ["name"] + statusFields + ["metadata"], required: ["status.code"]
        ),
        BodyCase(
            name: "portfolio create", target: .create("\(ledger)/portfolios"), body: portfolioBody,
            optional: ["entityId"] + statusFields + ["metadata"], required: ["name", "status.code"]
        ),
        BodyCase(
            name: "portfolio update", target: .update(.entity(collection: "\(ledger)/portfolios", body: portfolioBody)),
            body: #"{"name":"Other","entityId":"E-2",\#(otherStatus),"metadata":{"k":"w"}}"#,
            optional: ["name", "entityId"] + statusFields + ["metadata"], required: ["status.code"]
        ),
        BodyCase(
            name: "segment create", target: .create("\(ledger)/segments"), body: namedBody,
            optional: statusFields + ["metadata"], required: ["name", "status.code"]
        ),
        BodyCase(
            name: "segment update", target: .update(.entity(collection: "\(ledger)/segments", body: namedBody)),
            body: namedChanges, optional: ["name"] + statusFields + ["metadata"], required: ["status.code"]
        ),
        BodyCase(
            name: "account create", target: .create("\(ledger)/accounts"), body: accountBody,
            optional: ["name", "alias", "parentAccountId", "entityId", "portfolioId", "segmentId", "blocked"] + statusFields + ["metadata"],
            required: ["assetCode", "type", "status.code"]
        ),
        BodyCase(
            name: "account update", target: .update(.entity(collection: "\(ledger)/accounts", body: accountBody)),
            body: #"{"name":"Current","entityId":"E-2","portfolioId":"{PF2}","segmentId":"{S2}","blocked":true,\#(otherStatus),"metadata":{"k":"w"}}"#,
            optional: ["name", "entityId", "portfolioId", "segmentId", "blocked"] + statusFields + ["metadata"],
            required: ["status.code"]
        ),
        BodyCase(
            name: "balance update", target: .update(.balance),
            body: #"{"allowSending":false,"allowReceiving":false,"allowOverdraft":true,"overdraftLimit":"10.00"}"#,
            optional: ["allowSending", "allowReceiving", "allowOverdraft", "overdraftLimit"], required: []
        ),
        BodyCase(
            name: "transaction json create", target: .create("\(ledger)/transactions/json"), body: transferBody,
            optional: transactionFields + ["pending", "pendingExpiresAt", "send.source.remaining", "send.distribute.remaining"]
                + legFields(fromLeg, unused: ["share", "remaining"]) + legFields(toLeg, unused: ["amount", "remaining"])
                + ["\(toLeg).share.percentageOfPercentage"],
            required: [
                "send", "send.asset", "send.value", "send.source", "send.distribute", "send.source.from", "send.distribute.to",
                "\(fromLeg).accountAlias", "\(fromLeg).amount.asset", "\(fromLeg).amount.value", "\(toLeg).accountAlias",
                "\(toLeg).share.percentage",
            ]
        ),
        BodyCase(
            name: "transaction inflow create", target: .create("\(ledger)/transactions/inflow"), body: inflowBody,
            optional: transactionFields + ["send.distribute.remaining"] + legFields(toLeg, unused: ["share", "remaining"]),
            required: [
                "send", "send.asset", "send.value", "send.distribute", "send.distribute.to", "\(toLeg).accountAlias", "\(toLeg).amount.asset",
                "\(toLeg).amount.value",
            ]
        ),
        BodyCase(
            name: "transaction outflow create", target: .create("\(ledger)/transactions/outflow"), body: outflowBody,
            optional: transactionFields + ["pending", "pendingExpiresAt", "send.source.remaining"]
                + legFields(fromLeg, unused: ["amount", "share"]),
            required: ["send", "send.asset", "send.value", "send.source", "send.source.from", "\(fromLeg).accountAlias"]
        ),
        BodyCase(
            name: "transaction update", target: .update(.transaction), body: annotationChanges, optional: ["description", "metadata"],
            required: []
        ),
        BodyCase(
            name: "operation update", target: .update(.operation), body: annotationChanges, optional: ["description", "metadata"],
            required: []
        ),
    ]
}

// MARK: - The world the bodies name

/// A ledger with a USD asset, two parent organizations, two portfolios and segments, a
/// parent account, and `@alice` (funded) and `@bob` to move money between.
private struct World: Sendable {
    let fixture: LedgerFixture
    let ids: [String: String]
    let tokens = TokenSource()

    static func make(_ client: any TestClientProtocol) async throws -> World {
        let fixture = try await LedgerFixture.make(client)
        var ids = ["{ORG}": fixture.organization, "{L}": fixture.base]
        for name in ["{P1}", "{P2}"] {
            let response = try await client.json(.post, "/v1/organizations", token: fixture.token, body: #"{"legalName":"Parent","legalDocument":"1"}"#)
            ids[name] = try #require(try response.object()["id"] as? String)
        }
        for (name, collection) in [("{PF1}", "portfolios"), ("{PF2}", "portfolios"), ("{S1}", "segments"), ("{S2}", "segments")] {
            let response = try await fixture.post("/\(collection)", #"{"name":"\#(name)"}"#)
            ids[name] = try #require(try response.object()["id"] as? String)
        }
        ids["{PA}"] = try await fixture.account("@parent")
        try await fixture.account("@alice")
        try await fixture.account("@bob")
        _ = try await fixture.posted("inflow", LedgerFixture.inflow("@alice", "100000.00"))
        return World(fixture: fixture, ids: ids)
    }

    // MARK: Requests

    /// The body with the world's ids in it, `{U}` replaced by `token`, edited.
    func edited(_ body: String, _ edits: [(String, Any?)], token: String = "X0000") throws -> Any {
        var text = body
        for (placeholder, id) in ids { text = text.replacingOccurrences(of: placeholder, with: id) }
        var value = try JSONSerialization.jsonObject(with: Data(text.replacingOccurrences(of: "{U}", with: token).utf8))
        for (path, replacement) in edits { value = JSONEdit.set(value, at: JSONEdit.steps(path)[...], to: replacement) }
        return value
    }

    func text(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    func path(_ template: String) -> String {
        var path = template
        for (placeholder, id) in ids { path = path.replacingOccurrences(of: placeholder, with: id) }
        return path
    }

    func request(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestResponse {
        try await fixture.client.json(method, self.path(path), token: fixture.token, body: body)
    }

    /// Sends the case's body, edited, where it goes (to a fresh entity for a PATCH).
    func send(_ body: MidazNullTests.BodyCase, editing edits: [String: Any]) async throws -> TestResponse {
        let token = tokens.next()
        let text = try text(try edited(body.body, edits.map { ($0.key, Optional($0.value)) }, token: token))
        switch body.target {
        case .create(let path): return try await request(.post, path, text)
        case .update(let maker): return try await request(.patch, try await make(maker).patch, text)
        }
    }

    /// Creates what a PATCH changes and answers where to PATCH it and where to read it.
    func make(_ maker: MidazNullTests.Maker) async throws -> (patch: String, read: String) {
        switch maker {
        case .entity(let collection, let body):
            let created = try await request(.post, collection, try text(try edited(body, [], token: tokens.next())))
            #expect(created.status == .created, "\(collection): \(created.text)")
            let path = "\(collection)/\(try #require(try created.object()["id"] as? String))"
            return (path, path)
        case .balance:
            let account = try await fixture.account("@b\(tokens.next())")
            let balances = try await request(.get, "\(fixture.base)/accounts/\(account)/balances")
            let items = try #require(try balances.object()["items"] as? [[String: Any]])
            let path = "\(fixture.base)/balances/\(try #require(items.first?["id"] as? String))"
            return (path, path)
        case .transaction, .operation:
            let transaction = try await fixture.posted("json", LedgerFixture.transfer("@alice", "@bob", "1.00", extra: #""description":"Pay","metadata":{"k":"v"},"#))
            let id = try #require(transaction["id"] as? String)
            guard case .operation = maker else { return ("\(fixture.base)/transactions/\(id)", "\(fixture.base)/transactions/\(id)") }
            let operations = try #require(transaction["operations"] as? [[String: Any]])
            let operation = try #require(operations.first?["id"] as? String)
            let account = try #require(operations.first?["accountId"] as? String)
            let path = "\(fixture.base)/transactions/\(id)/operations/\(operation)"
            // An operation carries its leg's description and metadata; the transfer's legs
            // have none, so give it its own first, for the check to see the PATCH keep them.
            let annotated = try await request(.patch, path, #"{"description":"Leg","metadata":{"k":"v"}}"#)
            #expect(annotated.status == .ok, "\(annotated.text)")
            return (path, "\(fixture.base)/accounts/\(account)/operations/\(operation)")
        }
    }

    // MARK: Checks

    /// A create with `nulls` sent as null answers what it answers with them left out.
    func expectNullIsAbsence(creating path: String, _ body: MidazNullTests.BodyCase, label: String, nulls: [String]) async throws {
        var answers: [String] = []
        for replacement in [nil, NSNull()] as [Any?] {
            let token = tokens.next()
            let text = try text(try edited(body.body, nulls.map { ($0, replacement) }, token: token))
            let response = try await request(.post, path, text)
            #expect(response.status == .created, "\(body.name), \(label) \(replacement == nil ? "left out" : "null"): \(response.text)")
            answers.append(try Self.comparable(response.text, token: token))
        }
        #expect(answers[0] == answers[1], "\(body.name), \(label): null answered\n\(answers[1])\nleft out answered\n\(answers[0])")
    }

    /// A PATCH with `nulls` sent as null leaves those fields as they were and applies the
    /// others: a nulled top-level field reads back as before; every other field reads back
    /// as sent, with the nulled inner fields left out of what it replaced.
    func expectNullLeavesUnchanged(_ maker: MidazNullTests.Maker, _ body: MidazNullTests.BodyCase, label: String, nulls: [String]) async throws {
        let path = try await make(maker)
        let before = try await request(.get, path.read)
        #expect(before.status == .ok, "\(body.name): \(before.text)")
        let token = tokens.next()
        let sent = try text(try edited(body.body, nulls.map { ($0, NSNull() as Any?) }, token: token))
        let patched = try await request(.patch, path.patch, sent)
        #expect(patched.status == .ok, "\(body.name), \(label): \(patched.text)")
        let after = try await request(.get, path.read)
        let old = try before.object(), new = try after.object()
        let applied = try #require(try edited(body.body, nulls.map { ($0, nil as Any?) }, token: token) as? [String: Any])
        for field in Set(nulls.map { String($0.prefix { $0 != "." && $0 != "[" }) }) where applied[field] == nil {
            #expect(try Self.canonical(new[field]) == Self.canonical(old[field]), "\(body.name), \(label): \(field) changed by a null")
            #expect(old[field] != nil, "\(body.name): \(field) had no value to keep")
        }
        for (field, value) in applied {
            #expect(try Self.canonical(new[field]) == Self.canonical(value), "\(body.name), \(label): \(field) is \(after.text)")
        }
    }

    /// An answer without what differs between two creates: ids, times, balance snapshots,
    /// and the request's token.
    static func comparable(_ text: String, token: String) throws -> String {
        let value = try JSONSerialization.jsonObject(with: Data(text.replacingOccurrences(of: token, with: "{U}").utf8))
        return try canonical(stripped(value))
    }

    static let volatile: Set = ["id", "createdAt", "updatedAt", "transactionId", "balance", "balanceAfter"]

    static func stripped(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            let id = object["id"] as? String
            var kept: [String: Any] = [:]
            for (key, member) in object where !volatile.contains(key) {
                // An alias left out is the account's id.
                kept[key] = id != nil && member as? String == id ? "<id>" : stripped(member)
            }
            return kept
        }
        if let array = value as? [Any] { return array.map(stripped) }
        return value
    }

    static func canonical(_ value: Any?) throws -> String {
        guard let value else { return "(absent)" }
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }
}

/// Fresh tokens for the fields that must be unique (asset codes, aliases).
private final class TokenSource: Sendable {
    private let count = Mutex(0)

    func next() -> String { "X\(String(format: "%04d", count.withLock { $0 += 1; return $0 }))" }
}

/// Edits a JSON value (as `JSONSerialization` reads it) at a path such as `a.b[0].c`.
private enum JSONEdit {
    enum Step {
        case key(String)
        case index(Int)
    }

    static func steps(_ path: String) -> [Step] {
        var steps: [Step] = []
        for part in path.split(separator: ".") {
            let name = part.prefix { $0 != "[" }
            steps.append(.key(String(name)))
            for index in part.dropFirst(name.count).split(separator: "]") {
                steps.append(.index(Int(index.dropFirst()) ?? 0))
            }
        }
        return steps
    }

    /// `value` with `replacement` at `steps` (nil removes the member), creating objects on the way.
    static func set(_ value: Any, at steps: ArraySlice<Step>, to replacement: Any?) -> Any {
        guard let step = steps.first else { return replacement ?? NSNull() }
        switch step {
        case .key(let key):
            var object = value as? [String: Any] ?? [:]
            if steps.count == 1 {
                object[key] = replacement
            } else {
                object[key] = set(object[key] ?? [String: Any](), at: steps.dropFirst(), to: replacement)
            }
            return object
        case .index(let index):
            var array = value as? [Any] ?? []
            guard array.indices.contains(index) else { return array }
            array[index] = set(array[index], at: steps.dropFirst(), to: replacement)
            return array
        }
    }
}

import Bookkeeping
import StrongroomEdge

/// The shapes of the ledger's request bodies, nested fields included, so an unknown field
/// at any depth is a 400 (the decoder alone would ignore it), and the fields each requires:
/// Midaz's documents (v3.4, and v3.8 for its newer fields) mark every other one optional,
/// and Midaz's own clients send those as `null`, which reads as absent.
extension BodyShape {
    static let status: BodyShape = .object(["code": nil, "description": nil], required: ["code"])
    /// Midaz v3.8 gives an address a `description` Strongroom does not keep.
    static let address: BodyShape = .object(Address.CodingKeys.self).adding(["description": .some(.unsupported)])

    /// A ledger's `settings`: `bankDetails`, and Midaz's `accounting`, which Strongroom does
    /// not implement.
    static let ledgerSettings: BodyShape = .object(LedgerSettings.CodingKeys.self).adding(["accounting": .some(.unsupported)])
    /// A ledger body's nested fields: an entity's, with its settings.
    static let ledgerNested: [String: BodyShape] = ["status": .status, "metadata": .free, "settings": ledgerSettings]

    /// An onboarding body: its own keys, with the shared nested ones.
    static func entity<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, required: [Keys] = []) -> BodyShape {
        .object(keys, required: required, nested: ["status": .status, "metadata": .free, "address": .address])
    }

    /// Fields of Midaz v3.8's transaction bodies that Strongroom does not implement (routes,
    /// conversion rates, back-dated transactions): accepted as null, refused with a value.
    private static let midazTransactionFields: [String: BodyShape?] = [
        "route": .some(.unsupported), "routeId": .some(.unsupported), "transactionDate": .some(.unsupported),
    ]
    private static let midazLegFields: [String: BodyShape?] = [
        "rate": .some(.unsupported), "route": .some(.unsupported), "routeId": .some(.unsupported), "isFrom": .some(.unsupported),
    ]

    static let leg: BodyShape = .object(
        TransactionBody.Leg.CodingKeys.self,
        required: [.accountAlias],
        nested: [
            "amount": .object(TransactionBody.LegAmount.CodingKeys.self, required: [.asset, .value]),
            "share": .object(TransactionBody.Share.CodingKeys.self, required: [.percentage]),
            "metadata": .free,
        ]
    ).adding(midazLegFields)

    /// A transaction body in one of its forms, built once each: every posting is checked
    /// against one.
    static func transaction(_ form: TransactionForm) -> BodyShape {
        switch form {
        case .json: transactionJSON
        case .inflow: transactionInflow
        case .outflow: transactionOutflow
        }
    }

    private static let transactionJSON = buildTransaction(.json)
    private static let transactionInflow = buildTransaction(.inflow)
    private static let transactionOutflow = buildTransaction(.outflow)

    /// Inflow has no source and is never pending, outflow has no destination; a form's side
    /// is required where it has one.
    private static func buildTransaction(_ form: TransactionForm) -> BodyShape {
        // Midaz v3.8 gives each side a `remaining` of its own; Strongroom's is on the leg.
        let source: BodyShape = .object(["from": .array(.leg), "remaining": .some(.unsupported)], required: ["from"])
        let distribute: BodyShape = .object(["to": .array(.leg), "remaining": .some(.unsupported)], required: ["to"])
        var send: [String: BodyShape?] = ["asset": nil, "value": nil]
        var sides: Set<String> = []
        if form != .inflow {
            send["source"] = .some(source)
            sides.insert("source")
        }
        if form != .outflow {
            send["distribute"] = .some(distribute)
            sides.insert("distribute")
        }
        var top: [String: BodyShape?] = ["description": nil, "code": nil, "chartOfAccountsGroupName": nil, "metadata": .some(.free)]
        top["send"] = .some(.object(send, required: sides.union(["asset", "value"])))
        if form != .inflow {
            top["pending"] = .some(nil)
            top["pendingExpiresAt"] = .some(nil)
        }
        return BodyShape.object(top, required: ["send"]).adding(midazTransactionFields)
    }
}

extension NewOrganization: StrictDecodable {
    public static var shape: BodyShape { .entity(CodingKeys.self, required: [.legalName, .legalDocument]) }
}
extension OrganizationChanges: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewLedger: StrictDecodable {
    public static var shape: BodyShape { .object(CodingKeys.self, required: [.name], nested: BodyShape.ledgerNested) }
}
extension LedgerChanges: StrictDecodable {
    public static var shape: BodyShape { .object(CodingKeys.self, nested: BodyShape.ledgerNested) }
}
extension NewNamedEntity: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self, required: [.name]) } }
extension NamedEntityChanges: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewAsset: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self, required: [.name, .type, .code]) } }
extension PortfolioInput: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewAccount: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self, required: [.assetCode, .type]) } }
extension AccountChanges: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self) } }
extension BalanceChanges: StrictDecodable { public static var shape: BodyShape { .object(CodingKeys.self) } }
extension AnnotationChanges: StrictDecodable { public static var shape: BodyShape { .entity(CodingKeys.self) } }

/// `POST …/portfolios`: the body `PATCH` takes, with its name required, as Midaz has it.
struct NewPortfolio: StrictDecodable, Encodable, Sendable {
    let input: PortfolioInput

    static var shape: BodyShape { .entity(PortfolioInput.CodingKeys.self, required: [.name]) }

    init(from decoder: any Decoder) throws { input = try PortfolioInput(from: decoder) }

    func encode(to encoder: any Encoder) throws { try input.encode(to: encoder) }
}

/// `POST …/transactions/json`, `/inflow` and `/outflow`: one body type, three shapes.
protocol TransactionRequest: StrictDecodable, Sendable {
    static var form: TransactionForm { get }
    var body: TransactionBody { get }
}

extension TransactionRequest {
    static var shape: BodyShape { .transaction(form) }
}

struct JSONTransactionRequest: TransactionRequest {
    static let form = TransactionForm.json
    let body: TransactionBody
    init(from decoder: any Decoder) throws { body = try TransactionBody(from: decoder) }
}

struct InflowRequest: TransactionRequest {
    static let form = TransactionForm.inflow
    let body: TransactionBody
    init(from decoder: any Decoder) throws { body = try TransactionBody(from: decoder) }
}

struct OutflowRequest: TransactionRequest {
    static let form = TransactionForm.outflow
    let body: TransactionBody
    init(from decoder: any Decoder) throws { body = try TransactionBody(from: decoder) }
}

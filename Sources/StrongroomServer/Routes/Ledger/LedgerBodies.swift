import Bookkeeping

/// The shapes of the ledger's request bodies, nested fields included, so an unknown field
/// at any depth is a 400 (the decoder alone would ignore it).
extension BodyShape {
    static let status: BodyShape = .object(["code": nil, "description": nil])
    static let address: BodyShape = .object(Address.CodingKeys.self)

    /// An onboarding body: its own keys, with the shared nested ones.
    static func entity<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) -> BodyShape {
        .object(keys, nested: ["status": .status, "metadata": .free, "address": .address])
    }

    static let leg: BodyShape = .object(
        TransactionBody.Leg.CodingKeys.self,
        nested: [
            "amount": .object(TransactionBody.LegAmount.CodingKeys.self), "share": .object(TransactionBody.Share.CodingKeys.self),
            "metadata": .free,
        ]
    )

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

    /// Inflow has no source and is never pending, outflow has no destination.
    private static func buildTransaction(_ form: TransactionForm) -> BodyShape {
        var send: [String: BodyShape?] = ["asset": nil, "value": nil]
        if form != .inflow { send["source"] = .some(.object(["from": .array(.leg)])) }
        if form != .outflow { send["distribute"] = .some(.object(["to": .array(.leg)])) }
        var top: [String: BodyShape?] = ["description": nil, "code": nil, "chartOfAccountsGroupName": nil, "metadata": .some(.free)]
        top["send"] = .some(.object(send))
        if form != .inflow {
            top["pending"] = .some(nil)
            top["pendingExpiresAt"] = .some(nil)
        }
        return .object(top)
    }
}

extension NewOrganization: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension OrganizationChanges: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewNamedEntity: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NamedEntityChanges: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewAsset: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension PortfolioInput: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension NewAccount: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension AccountChanges: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }
extension BalanceChanges: StrictDecodable { static var shape: BodyShape { .object(CodingKeys.self) } }
extension AnnotationChanges: StrictDecodable { static var shape: BodyShape { .entity(CodingKeys.self) } }

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

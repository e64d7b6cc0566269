import Holders
import StrongroomEdge
import StrongroomKernel

/// One of an alias's related parties, Midaz's `RelatedParty`: a person linked to the alias
/// (`PRIMARY_HOLDER`, `LEGAL_REPRESENTATIVE`, `RESPONSIBLE_PARTY`) from `startDate` and, when
/// given, until `endDate`. Its name and document are personal data: an alias's parties are
/// stored only as one sealed field of its holder (`AliasRelatedParties`), and answered with
/// the name and document masked unless the read is an unmasked one.
///
/// A body's party has no `id` (null only): the server gives each one on create and on a
/// PATCH that replaces the list. Dates are kept as given, `YYYY-MM-DD` or RFC 3339.
struct RelatedParty: Codable, Sendable, Equatable {
    var id: String
    var document: String
    var name: String
    var role: String
    var startDate: String
    var endDate: String?

    static let roles: Set<String> = ["PRIMARY_HOLDER", "LEGAL_REPRESENTATIVE", "RESPONSIBLE_PARTY"]
    /// The most parties one alias holds.
    static let maxPerAlias = 20
    static let maxNameLength = 256
    static let maxDocumentLength = 64

    /// What a body gives for a party.
    struct Input: Codable, Sendable, Equatable {
        let document: String
        let name: String
        let role: String
        let startDate: String
        let endDate: String?
    }

    static let shape: BodyShape = .object(
        ["id": .some(.unsupported), "document": nil, "name": nil, "role": nil, "startDate": nil, "endDate": nil],
        required: ["document", "name", "role", "startDate"]
    )

    /// The party as answered: its name and document masked (`PersonalFieldMask`) unless
    /// `masked` is false.
    func shown(masked: Bool) -> RelatedParty {
        guard masked else { return self }
        var party = self
        party.name = PersonalFieldMask.name(name)
        party.document = PersonalFieldMask.document(document)
        return party
    }

    /// Checks a body's list (422, SR-2025, naming the entry and field, never a value) and
    /// gives each party a new id from `nextID`.
    static func validated(_ inputs: [Input], field: String, nextID: () -> String) throws(StrongroomError) -> [RelatedParty] {
        guard inputs.count <= maxPerAlias else { throw invalid(field, "must hold at most \(maxPerAlias) related parties") }
        var parties: [RelatedParty] = []
        for (index, input) in inputs.enumerated() {
            let path = "\(field)[\(index)]"
            if let refusal = textRefusal(input.name, maxLength: maxNameLength) { throw invalid("\(path).name", refusal) }
            if let refusal = textRefusal(input.document, maxLength: maxDocumentLength) { throw invalid("\(path).document", refusal) }
            guard !BlindIndex.normalised(input.document, as: .document).isEmpty else {
                throw invalid("\(path).document", "must hold a character besides white space, hyphens, dots and slashes")
            }
            guard roles.contains(input.role) else { throw invalid("\(path).role", "must be one of \(roles.sorted().joined(separator: ", "))") }
            guard let start = day(input.startDate) else { throw invalid("\(path).startDate", "must be a date, YYYY-MM-DD or RFC 3339") }
            if let endDate = input.endDate {
                guard let end = day(endDate) else { throw invalid("\(path).endDate", "must be a date, YYYY-MM-DD or RFC 3339") }
                guard end >= start else { throw invalid("\(path).endDate", "must not be before startDate") }
            }
            parties.append(
                RelatedParty(
                    id: nextID(), document: input.document, name: input.name, role: input.role, startDate: input.startDate,
                    endDate: input.endDate
                )
            )
        }
        return parties
    }

    /// The instant a date names: a `YYYY-MM-DD` day at midnight UTC (a real day: one the
    /// parser would roll over is refused), or an RFC 3339 time; nil for anything else.
    static func day(_ text: String) -> Timestamp? {
        guard text.utf8.count == 10 else { return RFC3339.parse(text) }
        guard let time = RFC3339.parse(text + "T00:00:00Z"), RFC3339.format(time).hasPrefix(text) else { return nil }
        return time
    }

    private static func textRefusal(_ value: String, maxLength: Int) -> String? {
        guard !value.allSatisfy(\.isWhitespace) else { return "must not be empty or only white space" }
        guard value.count <= maxLength else { return "must be at most \(maxLength) characters" }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "must not contain control characters"
        }
        return nil
    }

    private static func invalid(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.invalidValue, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }
}

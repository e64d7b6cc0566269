import Holders
import StrongroomKernel

/// One personal field of Midaz's holder shape (CRM's `CreateHolderRequest`): its
/// `PersonalFieldName` is its dotted path in the body (`contact.primaryEmail`,
/// `addresses.primary.line1`, `legalPerson.representative.name`), its kind decides the check
/// it must pass and how it is masked, and its longest length is Midaz's where Midaz states one
/// (an address's lines, city, state, postcode and country) and a generous bound elsewhere.
///
/// Every string under `name`, `document`, `addresses`, `contact`, `naturalPerson` and
/// `legalPerson` is one: each is sealed on its own, bound to this name. The holder's `type`,
/// `externalId`, `metadata`, ids and times are not personal data and stay in clear.
struct HolderField: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A person's or company's name: masked to its first character.
        case name
        /// An identity document's number: masked to its last two characters.
        case document
        /// An email address: masked to the local part's first character and the domain.
        case email
        /// A phone number: digits, spaces and `+ - ( ) .`; masked to its last two digits.
        case phone
        /// A calendar day, `YYYY-MM-DD`: masked whole.
        case date
        /// ISO 3166-1 alpha-2, two capital letters: masked whole.
        case country
        /// Any other text (an address line, a status, a nationality): masked whole.
        case text
    }

    let name: PersonalFieldName
    let kind: Kind
    let maxLength: Int

    private init(_ name: String, _ kind: Kind, _ maxLength: Int) {
        self.name = PersonalFieldName(name)
        self.kind = kind
        self.maxLength = maxLength
    }

    /// The path of object keys the field sits at in the body and the answer.
    var path: [String] { name.rawValue.split(separator: ".").map(String.init) }

    /// The group the field belongs to (`contact`), or nil for `name` and `document`.
    var group: String? { path.count > 1 ? path[0] : nil }

    /// What a reader without an unmasked read sees (`PersonalFieldMask`).
    func masked(_ value: String) -> String {
        switch kind {
        case .name: PersonalFieldMask.name(value)
        case .document: PersonalFieldMask.document(value)
        case .email: PersonalFieldMask.email(value)
        case .phone: PersonalFieldMask.phone(value)
        case .date, .country, .text: PersonalFieldMask.addressLine(value)
        }
    }

    /// Why a non-empty value breaks the field's rule, or nil when it keeps it. The message
    /// never repeats the value.
    func refusal(of value: String) -> String? {
        guard value.count <= maxLength else { return "must be at most \(maxLength) characters" }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "must not contain control characters"
        }
        switch kind {
        case .name, .text:
            return value.allSatisfy(\.isWhitespace) ? "must not be only white space" : nil
        case .document:
            return BlindIndex.normalised(value, as: .document).isEmpty
                ? "must hold a character besides white space, hyphens, dots and slashes" : nil
        case .email:
            guard let at = value.lastIndex(of: "@"), at != value.startIndex, value.index(after: at) != value.endIndex,
                  !value.contains(where: \.isWhitespace)
            else { return "must be an email address" }
            return nil
        case .phone:
            let allowed = value.unicodeScalars.allSatisfy { Self.phoneScalars.contains($0) }
            let digits = value.unicodeScalars.contains { ("0"..."9").contains($0) }
            return allowed && digits ? nil : "must be a phone number: digits, spaces and + - ( ) . only"
        case .date:
            return Self.isDay(value) ? nil : "must be a date, YYYY-MM-DD"
        case .country:
            return value.utf8.count == 2 && value.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
                ? nil : "must be an ISO 3166-1 alpha-2 code, two capital letters"
        }
    }

    private static let phoneScalars = Set("0123456789 +-().".unicodeScalars)

    /// A real calendar day written `YYYY-MM-DD`.
    private static func isDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ [4, 7].contains($0.offset) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }),
              let time = RFC3339.parse(text + "T00:00:00Z")
        else { return false }
        // The parser may roll a day past the month's end over; the day must read back as given.
        return RFC3339.format(time).hasPrefix(text)
    }

    // MARK: The catalogue

    static let all: [HolderField] = {
        var fields = [HolderField("name", .name, 256), HolderField("document", .document, 64)]
        for address in ["primary", "additional1", "additional2"] {
            let prefix = "addresses.\(address)."
            fields += [
                HolderField(prefix + "line1", .text, 256), HolderField(prefix + "line2", .text, 256),
                HolderField(prefix + "zipCode", .text, 20), HolderField(prefix + "city", .text, 100),
                HolderField(prefix + "state", .text, 100), HolderField(prefix + "country", .country, 2),
                HolderField(prefix + "description", .text, 100),
            ]
        }
        fields += [
            HolderField("contact.primaryEmail", .email, 254), HolderField("contact.secondaryEmail", .email, 254),
            HolderField("contact.mobilePhone", .phone, 32), HolderField("contact.otherPhone", .phone, 32),
        ]
        fields += [
            HolderField("naturalPerson.favoriteName", .name, 256), HolderField("naturalPerson.socialName", .name, 256),
            HolderField("naturalPerson.gender", .text, 100), HolderField("naturalPerson.birthDate", .date, 10),
            HolderField("naturalPerson.civilStatus", .text, 100), HolderField("naturalPerson.nationality", .text, 100),
            HolderField("naturalPerson.motherName", .name, 256), HolderField("naturalPerson.fatherName", .name, 256),
            HolderField("naturalPerson.status", .text, 100),
        ]
        fields += [
            HolderField("legalPerson.tradeName", .name, 256), HolderField("legalPerson.activity", .text, 256),
            HolderField("legalPerson.type", .text, 100), HolderField("legalPerson.foundingDate", .date, 10),
            HolderField("legalPerson.size", .text, 100), HolderField("legalPerson.status", .text, 100),
            HolderField("legalPerson.representative.name", .name, 256),
            HolderField("legalPerson.representative.document", .document, 64),
            HolderField("legalPerson.representative.email", .email, 254),
            HolderField("legalPerson.representative.role", .text, 100),
        ]
        return fields
    }()

    static let byName: [PersonalFieldName: HolderField] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    static let holderName = PersonalFieldName("name")
    static let document = PersonalFieldName("document")
    /// The email the blind index keeps a term of (`GET /v1/holders?email=`).
    static let primaryEmail = PersonalFieldName("contact.primaryEmail")
}

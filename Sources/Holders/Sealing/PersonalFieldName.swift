/// The name of a personal field of a holder (`name`, `document`, `contact.primaryEmail`):
/// bound into its sealed value, so a value sealed as one field never opens as another. Not
/// personal data itself, so errors name it.
public struct PersonalFieldName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}

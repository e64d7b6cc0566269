/// A stable, documented error code: clients branch on it, so a code is never renamed.
///
/// Codes are `SR-` followed by an area and a number. Each is declared once, with the kind
/// (and so the HTTP status) it is always answered with and a short title, in
/// `ErrorCatalogue.swift`: the initializer is internal to this module, so no other module
/// can make a code the catalogue lacks, and a throw site names only the code, never its
/// status. Equal by `rawValue`: the kind and title follow from it.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    /// The kind every answer with this code has; the HTTP layer maps it to a status.
    public let kind: StrongroomError.Kind
    /// A short summary of the problem, the same for every occurrence.
    public let title: String

    init(_ rawValue: String, _ kind: StrongroomError.Kind, _ title: String) {
        self.rawValue = rawValue
        self.kind = kind
        self.title = title
    }

    public var description: String { rawValue }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

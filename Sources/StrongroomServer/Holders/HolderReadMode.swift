import StrongroomEdge
import StrongroomKernel

/// How a holder read shows personal fields: masked, the default, or unmasked, which the
/// request asks for with `?unmasked=true&reason=…` (issue 29, item 3). The reason is what the
/// audit record of the read keeps: 1 to `maxReasonLength` characters, none of them a control
/// or format character, not only white space. `unmasked=false` (or none) with a reason is
/// refused too, so a client that meant to ask for clear values learns it did not.
///
/// Asking is not enough: the route also checks `holders:read-pii` on the organization
/// through the access decision (step-up included), and records the read before answering.
enum HolderReadMode: Sendable, Equatable {
    case masked
    case unmasked(reason: String)

    static let maxReasonLength = 500
    /// The most holders one unmasked list page may hold (`limit` beyond it: 400).
    static let maxUnmaskedPage = 100

    /// The mode the query parameters ask for: 400 (SR-0007) for anything else.
    static func parse(unmasked: String?, reason: String?) throws(StrongroomError) -> HolderReadMode {
        switch unmasked {
        case nil, "false":
            guard reason == nil else { throw .invalidQuery("reason", "is read only with unmasked=true") }
            return .masked
        case "true":
            guard let reason else { throw .invalidQuery("reason", "is required with unmasked=true: say why the clear values are needed") }
            guard (1...maxReasonLength).contains(reason.count), !reason.allSatisfy(\.isWhitespace),
                  !reason.unicodeScalars.contains(where: { Self.unprintable.contains($0.properties.generalCategory) })
            else { throw .invalidQuery("reason", "must be 1 to \(maxReasonLength) printable characters") }
            return .unmasked(reason: reason)
        default:
            throw .invalidQuery("unmasked", "must be true or false")
        }
    }

    private static let unprintable: Set<Unicode.GeneralCategory> = [
        .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned,
    ]

    var isMasked: Bool { self == .masked }
}

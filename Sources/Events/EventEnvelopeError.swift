/// Why an envelope was not made. Every case is a bug in the code that wrote the event (its
/// body, its ids), never something a client sent: the unit of work that meets one fails
/// whole rather than commit a change without its event.
public enum EventEnvelopeError: Error, Equatable, Sendable {
    /// The body is over `EventEnvelope.maxBodyBytes`.
    case bodyTooLarge(bytes: Int)
    /// The body does not start with `{` and end with `}`: an event's body is one JSON object.
    case bodyNotAnObject
    /// The id is not a UUID in canonical lower-case text (8-4-4-4-12 hex digits).
    case idNotCanonical
    /// An organization id, ledger id or ordering key is empty or over
    /// `EventEnvelope.maxReferenceBytes`.
    case referenceOutOfBounds
    /// A stored envelope's schema version is not one its type has had (1 to the type's
    /// current `EventType.schemaVersion`).
    case unknownSchemaVersion(Int)
}

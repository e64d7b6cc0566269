/// An error raised below the areas (storage, transport) that a client should be answered as
/// one of the catalogue's problems rather than as an internal error: the edge, which knows
/// no module that raises one, renders `clientProblem` when it is there and answers 500
/// (the details logged, never sent) when it is nil.
public protocol ClientFacingError: Error {
    var clientProblem: StrongroomError? { get }
}

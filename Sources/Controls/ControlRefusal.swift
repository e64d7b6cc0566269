import StrongroomKernel

/// The first control that refuses an operation, and the account it refused.
public struct ControlRefusal: Sendable, Equatable {
    public let control: Control
    /// The position of the refused account in the list the table was asked about.
    public let accountIndex: Int
    public let alias: String

    public var code: ErrorCode { control.code }

    /// The refusal as the client is answered it: 422 with the control's own code.
    public var error: StrongroomError {
        StrongroomError(control.code, control.message(alias: alias))
    }
}

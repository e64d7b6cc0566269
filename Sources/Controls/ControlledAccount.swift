/// One account an operation touches, as the table of effects is asked about it.
public struct ControlledAccount: Sendable, Equatable {
    public let alias: String
    public let side: LegSide
    public let state: ControlState

    public init(alias: String, side: LegSide, state: ControlState) {
        self.alias = alias
        self.side = side
        self.state = state
    }
}

import Controls
import StrongroomKernel
import Testing

@Suite struct ControlReasonTests {
    @Test("a reason is 1 to 500 characters, not only white space")
    func bounds() throws {
        try ControlReason.check("x")
        try ControlReason.check(String(repeating: "é", count: 500))
        for bad in ["", "   ", "\n\t", String(repeating: "a", count: 501)] {
            #expect(throws: StrongroomError.self) { try ControlReason.check(bad) }
            do {
                try ControlReason.check(bad)
            } catch {
                #expect(error.code == .invalidValue)
                #expect(error.fields.map(\.field) == ["reason"])
            }
        }
    }
}

import Foundation
import StrongroomKernel
import Testing

@Suite("Identifiers")
struct IdentifierGeneratorTests {
    @Test func idsAreVersion7AndStrictlyIncreasingWithinOneMillisecond() {
        // A stopped clock: every id falls in the same millisecond, and more of them than the
        // counter holds, so the generator must also roll over into the next millisecond.
        let ids = IdentifierGenerator(clock: FixedClock(Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)))
        let made = (0..<5000).map { _ in ids.nextText() }
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
        for id in made.prefix(10) {
            #expect(Array(id)[14] == "7")
            #expect("89ab".contains(Array(id)[19]))
        }
    }
}

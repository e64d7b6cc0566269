import LedgerCore
import PropertyBased
import StrongroomKernel
import Testing

/// Amounts over the whole input space: every scale 0–18, values drawn near every bound
/// (10^20 major units, Int128's limits, powers of ten, the smallest unit). The hand-picked
/// cases of `AmountTests` only ever used scale 2, and a scale-18 amount trapped the process;
/// here anything out of range must be a thrown error, and anything in range exact.
@Suite("Amount properties")
struct AmountPropertyTests {
    static var scales: Generator<Int, Shrink.Integer<Int>> { Gen.int(in: 0...Amount.maxScale) }

    /// 10^20 major units at `scale`, in minor units, worked out independently of `Amount`.
    static func limit(_ scale: Int) -> Int128 {
        (0..<(20 + scale)).reduce(Int128(1)) { value, _ in value * 10 }
    }

    /// A minor-unit magnitude on or next to a bound, from four draws: 0–9, powers of ten and
    /// their neighbours up to 10^38 (so the scale's limit ± 2 at every scale), Int128's maximum
    /// and just under it, and anything at all. Tests draw with `zip(Self.picks…).map(edgy)`.
    static func edgy(_ pick: (kind: Int, exponent: Int, nudge: Int128, anything: Int128)) -> Int128 {
        switch pick.kind {
        case 0: pick.anything % 10
        case 1...4: max(0, (0..<pick.exponent).reduce(Int128(1)) { value, _ in value * 10 } + pick.nudge)
        case 5: Int128.max - 2 + pick.nudge
        default: pick.anything
        }
    }

    @Test("every amount in range renders and parses back to itself, at every scale")
    func roundTrips() async {
        let magnitudes = zip(Gen.int(in: 0...7), Gen.int(in: 0...38), Gen.int128(in: -2...2), Gen.int128(in: 0...Int128.max)).map { Self.edgy($0) }
        await propertyCheck(count: 2_000, input: Self.scales, magnitudes, Gen.bool()) { scale, magnitude, negative in
            let minor = negative ? -magnitude : magnitude
            guard magnitude <= Self.limit(scale) else {
                #expect(throws: AmountError.outOfRange) { try Amount(minorUnits: minor, scale: scale) }
                return
            }
            let amount = try Amount(minorUnits: minor, scale: scale)
            let text = amount.description
            #expect(try Amount(parsing: text, scale: scale) == amount, "\(text) at scale \(scale)")
            if scale > 0 {
                #expect(text.split(separator: ".").last?.count == scale, "\(text) has exactly \(scale) fractional digits")
            } else {
                #expect(!text.contains("."))
            }
        }
    }

    @Test("any decimal text either parses to its exact value or throws, never traps")
    func parsingNeverTraps() async {
        let digits = Gen.number.string(of: 0...42)
        await propertyCheck(count: 3_000, input: Self.scales, digits, digits, Gen.bool()) { scale, whole, fraction, withPoint in
            let text = withPoint ? "\(whole).\(fraction)" : whole
            let expected = Self.reference(whole: whole, fraction: withPoint ? fraction : nil, scale: scale)
            let parsed = Result { () throws(AmountError) in try Amount(parsing: text, scale: scale) }
            switch (expected, parsed) {
            case (.success(let minor), .success(let amount)):
                #expect(amount.minorUnits == minor, "\(text) at scale \(scale)")
            case (.failure, .failure):
                // Which rule a text breaks first depends on the order the parser reads it in;
                // that it is refused, with a thrown error, is the property.
                break
            default:
                Issue.record("\(text) at scale \(scale): expected \(expected), parsed \(parsed)")
            }
        }
    }

    @Test("the amounts that once trapped are refused at every scale")
    func knownTraps() throws {
        for scale in 0...Amount.maxScale {
            let fraction = String(repeating: "9", count: scale)
            let text = scale == 0 ? "999999999999999999999" : "999999999999999999999.\(fraction)"
            #expect(throws: AmountError.outOfRange) { try Amount(parsing: text, scale: scale) }
            #expect(throws: AmountError.outOfRange) { try Amount(parsing: "170141183460469231731687303715884105728", scale: scale) }
        }
        #expect(throws: AmountError.outOfRange) {
            try Amount(parsing: "999999999999999999999.123456789012345678", scale: 18)
        }
        #expect(try Amount(parsing: "100000000000000000000.000000000000000000", scale: 18).minorUnits == Self.limit(18))
    }

    @Test("sums and differences are exact or out of range, at every scale")
    func arithmeticIsChecked() async {
        let magnitudes = zip(Gen.int(in: 0...7), Gen.int(in: 0...38), Gen.int128(in: -2...2), Gen.int128(in: 0...Int128.max)).map { Self.edgy($0) }
        await propertyCheck(count: 2_000, input: Self.scales, magnitudes, magnitudes, Gen.bool()) { scale, a, b, subtract in
            let limit = Self.limit(scale)
            guard let x = try? Amount(minorUnits: min(a, limit), scale: scale),
                  let y = try? Amount(minorUnits: -min(b, limit), scale: scale) else { return }
            // Both within ±10^38, so the exact result is within ±2 × 10^38: past Int128 only
            // when it is past the limit too.
            let (exact, overflow) = subtract
                ? x.minorUnits.subtractingReportingOverflow(y.minorUnits) : x.minorUnits.addingReportingOverflow(y.minorUnits)
            let operation = { () throws(AmountError) -> Amount in subtract ? try x.subtracting(y) : try x.adding(y) }
            if !overflow, exact.magnitude <= limit.magnitude {
                #expect((try? operation())?.minorUnits == exact)
            } else {
                #expect(throws: AmountError.outOfRange) { try operation() }
            }
        }
    }

    @Test("shares of any value at any scale are exact, rounded down, and add up with the remaining leg")
    func sharesAreExact() async {
        let magnitudes = zip(Gen.int(in: 0...7), Gen.int(in: 0...38), Gen.int128(in: -2...2), Gen.int128(in: 0...Int128.max)).map { Self.edgy($0) }
        let percentages = Gen.int(in: 1...100)
        await propertyCheck(count: 2_000, input: Self.scales, magnitudes, percentages, percentages) { scale, magnitude, p, q in
            let minor = max(1, min(magnitude, Self.limit(scale)))
            let value = try Amount(minorUnits: minor, scale: scale)
            // The oracle: the full 256-bit product divided by 10 000.
            let product = minor.multipliedFullWidth(by: Int128(p * q))
            let expected = Int128(10_000).dividingFullWidth(product).quotient
            do throws(StrongroomError) {
                let legs = try LegResolver.resolve(value: value, allocations: [.share(percentage: p, percentageOfPercentage: q), .remaining], side: "to")
                #expect(legs[0].minorUnits == expected)
                #expect((try? legs[0].adding(legs[1])) == value)
            } catch {
                // A share smaller than one minor unit, or one that leaves nothing (100 % of
                // 100 %), is refused with a ledger code: never a trap, never a 5xx.
                #expect(expected == 0 || expected == minor, "refused \(p)% of \(q)% of \(value): \(error)")
                #expect(error.kind == .unprocessable)
            }
        }
    }

    @Test("debits against an overdraft limit near the bounds never trap")
    func overdraftNeverTraps() async {
        let magnitudes = zip(Gen.int(in: 0...7), Gen.int(in: 0...38), Gen.int128(in: -2...2), Gen.int128(in: 0...Int128.max)).map { Self.edgy($0) }
        await propertyCheck(count: 1_000, input: Self.scales, magnitudes, magnitudes, magnitudes) { scale, held, limitMagnitude, debit in
            let limit = Self.limit(scale)
            let balance = BalanceState(
                available: try Amount(minorUnits: -min(held, limit), scale: scale), onHold: .zero(scale: scale), version: 0,
                allowOverdraft: true, overdraftLimit: try Amount(minorUnits: min(limitMagnitude, limit), scale: scale)
            )
            let amount = try Amount(minorUnits: max(1, min(debit, limit)), scale: scale)
            let floor = -min(limitMagnitude, limit)
            let (after, overflow) = (-min(held, limit)).subtractingReportingOverflow(amount.minorUnits)
            do throws(StrongroomError) {
                let next = try balance.debited(by: amount)
                #expect(!overflow && next.available.minorUnits == after)
                #expect(after >= floor)
            } catch {
                #expect(overflow || after < floor || after.magnitude > limit.magnitude)
                #expect(error.kind == .unprocessable)
            }
        }
    }

    /// What `Amount(parsing:scale:)` must answer for `whole[.fraction]`, worked out on the
    /// digit strings without fixed-width arithmetic.
    static func reference(whole: String, fraction: String?, scale: Int) -> Result<Int128, AmountError> {
        guard !whole.isEmpty, fraction.map({ !$0.isEmpty }) ?? true, whole.count + (fraction?.count ?? 0) + (fraction == nil ? 0 : 1) <= 64 else {
            return .failure(.malformed)
        }
        let fractionDigits = fraction ?? ""
        guard fractionDigits.count <= scale else { return .failure(.tooManyFractionDigits) }
        var digits = Substring(whole + fractionDigits + String(repeating: "0", count: scale - fractionDigits.count))
        while digits.count > 1, digits.first == "0" { digits = digits.dropFirst() }
        let limit = String(Self.limit(scale))
        guard digits.count < limit.count || digits.count == limit.count && digits <= limit[...] else { return .failure(.outOfRange) }
        return .success(digits.reduce(Int128(0)) { $0 * 10 + Int128($1.wholeNumberValue ?? 0) })
    }
}

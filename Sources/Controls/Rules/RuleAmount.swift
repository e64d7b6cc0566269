import LedgerCore
import StrongroomKernel

/// An amount a rule names (a threshold, a limit), written in major units without knowing the
/// asset's scale: a rule scoped to an organization may cover an asset code that several of
/// its ledgers define at different scales. It is held exactly at the finest scale an asset may
/// have (`Amount.maxScale`), and a posting's amount is brought to that scale to be compared,
/// which is exact: 10^20 major units at scale 18 is 10^38 minor units, inside Int128.
public struct RuleAmount: Sendable, Hashable, CustomStringConvertible {
    /// The amount at `Amount.maxScale`.
    public let value: Amount

    /// A positive decimal of at most `Amount.maxScale` fractional digits and 10^20 major units.
    public init(_ text: String, field: String) throws(StrongroomError) {
        let parsed: Amount
        do {
            parsed = try Amount(parsing: text, scale: Amount.maxScale)
        } catch .tooManyFractionDigits {
            throw .controlRuleField(field, "must have at most \(Amount.maxScale) fractional digits")
        } catch .outOfRange {
            throw .controlRuleField(field, "must be at most 10^20 major units")
        } catch {
            throw .controlRuleField(field, "must be a decimal amount like \"100.00\"")
        }
        guard parsed.isPositive else { throw .controlRuleField(field, "must be greater than zero") }
        self.value = parsed
    }

    /// The canonical text, without trailing fractional zeros: `"10000"`, `"0.5"`.
    public var description: String {
        let text = value.description
        guard text.contains(".") else { return text }
        let trimmed = text.reversed().drop(while: { $0 == "0" }).drop(while: { $0 == "." })
        return String(trimmed.reversed())
    }

    /// `amount` in minor units at `Amount.maxScale`, or nil when its scale is not one an asset
    /// may have. Exact: an amount holds at most 10^20 major units.
    static func finest(_ amount: Amount) -> Int128? {
        guard (0...Amount.maxScale).contains(amount.scale) else { return nil }
        var minor = amount.minorUnits
        for _ in amount.scale..<Amount.maxScale {
            let (next, overflow) = minor.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            minor = next
        }
        return minor
    }

    /// Whether `amount` (at its asset's scale) is at or above this amount.
    public func isReached(by amount: Amount) -> Bool {
        guard let minor = Self.finest(amount) else { return true }
        return minor >= value.minorUnits
    }

    /// Whether `amount` is more than this amount: a limit lets through exactly its own amount.
    public func isExceeded(by amount: Amount) -> Bool {
        guard let minor = Self.finest(amount) else { return true }
        return minor > value.minorUnits
    }

    /// Whether `counted` and `amount` together (each at the asset's scale) are more than this
    /// amount. A sum past Int128 is more than any limit.
    public func isExceeded(by counted: Amount, plus amount: Amount) -> Bool {
        guard let first = Self.finest(counted), let second = Self.finest(amount) else { return true }
        let (sum, overflow) = first.addingReportingOverflow(second)
        return overflow || sum > value.minorUnits
    }
}

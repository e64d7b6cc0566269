import Bookkeeping
import LedgerCore
import StrongroomKernel
import Testing

/// Amounts are exact at every scale an asset may have, up to 10^20 major units.
extension PostingEngineSuite {
    static var scales: [PostingSuiteCase] {
        Run.scaledAssets.map { asset in
            PostingSuiteCase("amounts at scale \(asset.scale) are exact up to 10^20 major units") { run in
                try await exactAmounts(run, code: asset.code, scale: asset.scale)
            }
        }
    }

    static func exactAmounts(_ run: Run, code: String, scale: Int) async throws {
        let (a, b, c) = ("@\(code.lowercased())-a", "@\(code.lowercased())-b", "@\(code.lowercased())-c")
        func text(_ minorUnits: Int128) throws -> String { try Amount(minorUnits: minorUnits, scale: scale).description }
        let fraction = { (digits: String) in scale > 0 ? "." + digits : "" }

        // The largest amount there is comes in from outside; one smallest unit more would take
        // the external account past -10^20 major units.
        let maximum = "100000000000000000000" + fraction(String(repeating: "0", count: scale))
        try Run.expectPosted(try await run.post(run.inflow(a, maximum, asset: code)))
        #expect(try await run.available(a) == maximum)
        #expect(try await run.available(Asset.externalAlias(code: code)) == "-" + maximum)
        Run.expect(try await run.post(run.inflow(b, try text(1), asset: code)), refusedWith: .amountOverflow)

        // 3 major units and one minor (3 at scale 0): half to b, rounded down; c the rest.
        let value = try Amount(parsing: scale > 0 ? "3" + fraction(String(repeating: "0", count: scale - 1) + "1") : "3", scale: scale)
        let half = value.minorUnits / 2
        let body = Run.body(value.description, asset: code, from: [Run.remaining(a)], to: [try Run.share(b, 50), Run.remaining(c)])
        let posted = try Run.expectPosted(try await run.post(run.create(body)))
        #expect(try posted.legs.map { try $0.amount(scale: scale).description } == [value.description, text(half), text(value.minorUnits - half)])
        #expect(try await run.available(b) == (try text(half)))
        #expect(try await run.available(c) == (try text(value.minorUnits - half)))
        let maximumAmount = try Amount(parsing: maximum, scale: scale)
        #expect(try await run.available(a) == (try text(maximumAmount.minorUnits - value.minorUnits)))

        let tooFine = "0." + String(repeating: "0", count: scale) + "1"
        Run.expect(try await run.post(run.transfer(a, b, tooFine, asset: code)), refusedWith: .invalidAmount)
        Run.expect(try await run.post(run.transfer(a, b, "100000000000000000001", asset: code)), refusedWith: .amountOverflow)
    }
}

import Controls
import Foundation
import LedgerCore
import StrongroomKernel
import Testing

/// The day a daily limit counts in: the UTC day, or the organization's, across the boundary
/// where the two disagree and across a change of clocks.
@Suite struct DayWindowTests {
    static func time(_ text: String) throws -> Timestamp { try #require(RFC3339.parse(text)) }

    @Test("the UTC day runs from midnight to midnight, before 1970 too")
    func utc() throws {
        let window = DayWindow.utc(try Self.time("2026-12-07T23:59:59.999999Z"))
        #expect(window.start == (try Self.time("2026-12-07T00:00:00Z")))
        #expect(window.end == (try Self.time("2026-12-08T00:00:00Z")))
        #expect(DayWindow.utc(try Self.time("2026-12-08T00:00:00Z")).start == window.end)
        let early = DayWindow.utc(try Self.time("1969-12-31T12:00:00Z"))
        #expect(early.start == (try Self.time("1969-12-31T00:00:00Z")))
        #expect(early.end == (try Self.time("1970-01-01T00:00:00Z")))
    }

    @Test("an organization's day follows its zone: 23:30 UTC in summer is already tomorrow in London")
    func zoneDay() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let late = try Self.time("2026-07-01T23:30:00Z")
        let window = DayWindow.containing(late, in: london)
        #expect(window.start == (try Self.time("2026-07-01T23:00:00Z")))
        #expect(window.end == (try Self.time("2026-07-02T23:00:00Z")))
        #expect(DayWindow.utc(late).start == (try Self.time("2026-07-01T00:00:00Z")))
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(DayWindow.containing(late, in: kolkata).start == (try Self.time("2026-07-01T18:30:00Z")))
    }

    @Test("the day the clocks change lasts 23 or 25 hours")
    func clockChanges() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let spring = DayWindow.containing(try Self.time("2026-03-29T12:00:00Z"), in: london)
        #expect(spring.start == (try Self.time("2026-03-29T00:00:00Z")))
        #expect(spring.end == (try Self.time("2026-03-29T23:00:00Z")))
        let autumn = DayWindow.containing(try Self.time("2026-10-25T12:00:00Z"), in: london)
        #expect(autumn.start == (try Self.time("2026-10-24T23:00:00Z")))
        #expect(autumn.end == (try Self.time("2026-10-26T00:00:00Z")))
    }

    @Test("a daily limit counts postings a second apart across the organization's midnight in two days, the UTC limit in one")
    func limitAcrossTheBoundary() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let organization = "01900000-0000-7000-8000-0000000000aa"
        let rule = { (day: String) throws in
            try ControlRuleDraft(kind: "limit", asset: "GBP", accountAlias: "@ops", perDay: "100", day: day)
                .validated(id: "01900000-0000-7000-8000-000000000001", version: 1, organizationID: organization)
        }
        func facts(_ at: String) throws -> PostingFacts {
            let amount = try Amount(minorUnits: 6_000, scale: 2)
            return PostingFacts(
                organizationID: organization, ledgerID: "01900000-0000-7000-8000-0000000000bb", asset: "GBP", amount: amount,
                sources: [.init(alias: "@ops", portfolioID: nil, amount: amount)], at: try Self.time(at)
            )
        }
        let before = try facts("2026-07-01T22:59:59Z")
        let after = try facts("2026-07-01T23:00:00Z")
        let local = ControlRuleBook([try rule("organization")])
        let utc = ControlRuleBook([try rule("utc")])
        let localWindows = ([before, after].map { local.counters(for: $0, organizationTimeZone: london) }).map { $0.first?.window }
        #expect(localWindows[0] != localWindows[1], "a second apart across London's midnight: two days")
        let utcWindows = ([before, after].map { utc.counters(for: $0, organizationTimeZone: london) }).map { $0.first?.window }
        #expect(utcWindows[0] == utcWindows[1], "the same UTC day")
        // 60.00 already sent in the window: in the organization's new day nothing has been.
        let counter = try #require(local.counters(for: before, organizationTimeZone: london).first)
        #expect(try local.decide(before, counted: [counter: Amount(minorUnits: 6_000, scale: 2)], organizationTimeZone: london) != .allow)
        let fresh = try #require(local.counters(for: after, organizationTimeZone: london).first)
        #expect(try local.decide(after, counted: [fresh: Amount(minorUnits: 0, scale: 2)], organizationTimeZone: london) == .allow)
    }
}

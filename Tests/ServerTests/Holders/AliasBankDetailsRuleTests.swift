import Holders
import Storage
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// `AliasBankDetailsRule` without I/O: what a UK ledger's alias keeps, each refusal's code,
/// the allocation it asks for, and free text elsewhere.
@Suite("Alias bank details rule")
struct AliasBankDetailsRuleTests {
    static let rule = Result { AliasBankDetailsRule(checker: try ModulusChecker.embedded()) }

    static func code(_ details: AliasBankingDetails?, uk: Bool = true, allocate: Bool = true) throws -> String? {
        do {
            _ = try rule.get().resolve(details, ukLedger: uk, allowAllocation: allocate)
            return nil
        } catch let error as StrongroomError {
            return error.code.rawValue
        }
    }

    @Test func validUKDetailsAreKeptInTheCheckedColumnsWithCountryGB() throws {
        let outcome = try Self.rule.get().resolve(AliasBankingDetails(branch: "089999", account: "66374958"), ukLedger: true, allowAllocation: true)
        #expect(outcome == .ready(StoredHolderAlias.BankDetails(sortCode: "089999", accountNumber: "66374958", countryCode: "GB")))
    }

    @Test func eachUKRefusalHasItsCode() throws {
        #expect(try Self.code(nil) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(account: "66374958")) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(branch: "08-99-99", account: "66374958")) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(branch: "089999", account: "6637495")) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(branch: "089999", account: "66374958", countryCode: "US")) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(branch: "089999"), allocate: false) == "SR-4010")
        #expect(try Self.code(AliasBankingDetails(branch: "000000", account: "66374958")) == "SR-4011")
        #expect(try Self.code(AliasBankingDetails(branch: "000000")) == "SR-4011")
        #expect(try Self.code(AliasBankingDetails(branch: "089999", account: "66374959")) == "SR-4012")
        #expect(try Self.code(AliasBankingDetails(branch: "089999", account: "66374958", iban: String(repeating: "G", count: 65))) == "SR-2025")
    }

    @Test func aSortCodeAloneAsksForAnAllocation() throws {
        let outcome = try Self.rule.get().resolve(AliasBankingDetails(branch: "089999"), ukLedger: true, allowAllocation: true)
        #expect(outcome == .allocate(try #require(SortCode("089999")), StoredHolderAlias.BankDetails(sortCode: "089999", countryCode: "GB")))
    }

    @Test func anotherLedgerKeepsFreeTextUnchecked() throws {
        let given = AliasBankingDetails(branch: "08-99-99", account: "x", countryCode: "US")
        let outcome = try Self.rule.get().resolve(given, ukLedger: false, allowAllocation: true)
        #expect(outcome == .ready(StoredHolderAlias.BankDetails(branch: "08-99-99", account: "x", countryCode: "US")))
        #expect(try Self.rule.get().resolve(nil, ukLedger: false, allowAllocation: true) == .ready(StoredHolderAlias.BankDetails()))
    }
}

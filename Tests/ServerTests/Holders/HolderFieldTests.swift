import Bookkeeping
import Foundation
import Holders
import Storage
import StrongroomEdge
import StrongroomKernel
import Testing

@testable import StrongroomServer

/// The holder shape's pure rules, without I/O: which reads ask for clear values, each kind of
/// field's check and mask, a body read into flat fields and written back, and validation
/// naming every bad field.
@Suite("Holder fields")
struct HolderFieldTests {
    @Test func theReadModeIsMaskedUnlessUnmaskedTrueComesWithAPrintableReason() throws {
        #expect(try HolderReadMode.parse(unmasked: nil, reason: nil) == .masked)
        #expect(try HolderReadMode.parse(unmasked: "false", reason: nil) == .masked)
        #expect(try HolderReadMode.parse(unmasked: "true", reason: "KYC review") == .unmasked(reason: "KYC review"))
        #expect(try HolderReadMode.parse(unmasked: "true", reason: String(repeating: "é", count: 500)) != .masked)
        for (unmasked, reason) in [
            ("true", nil), ("true", ""), ("true", "   "), ("true", "line\nbreak"), ("true", "zero\u{200B}width"),
            ("true", String(repeating: "a", count: 501)), (nil, "why"), ("false", "why"), ("TRUE", "why"), ("1", "why"),
        ] as [(String?, String?)] {
            #expect(throws: StrongroomError.self, "\(String(describing: unmasked)) \(String(describing: reason))") {
                try HolderReadMode.parse(unmasked: unmasked, reason: reason)
            }
        }
    }

    @Test func eachKindOfFieldHasItsCheckAndItsMask() throws {
        func field(_ name: String) throws -> HolderField { try #require(HolderField.byName[PersonalFieldName(name)]) }
        let email = try field("contact.primaryEmail")
        #expect(email.refusal(of: "ada@example.com") == nil && email.masked("ada@example.com") == "a***@example.com")
        for bad in ["ada", "@example.com", "ada@", "ada @example.com"] { #expect(email.refusal(of: bad) != nil, "\(bad)") }
        let phone = try field("contact.mobilePhone")
        #expect(phone.refusal(of: "+44 (20) 7946-0958") == nil && phone.masked("+44 20 7946 0958") == "***58")
        #expect(phone.refusal(of: "call me") != nil && phone.refusal(of: "+ -") != nil)
        let birth = try field("naturalPerson.birthDate")
        #expect(birth.refusal(of: "2000-02-29") == nil && birth.masked("2000-02-29") == "***")
        for bad in ["2001-02-29", "1979-13-01", "1979-1-01", "19790101", "1979-01-01T00:00:00Z"] { #expect(birth.refusal(of: bad) != nil, "\(bad)") }
        let country = try field("addresses.primary.country")
        #expect(country.refusal(of: "GB") == nil && country.refusal(of: "gb") != nil && country.refusal(of: "GBR") != nil)
        let document = try field("document")
        #expect(document.refusal(of: "AB-12") == nil && document.refusal(of: " -./") != nil && document.masked("AB123456C") == "***6C")
        let name = try field("name")
        #expect(name.refusal(of: "Ada") == nil && name.refusal(of: "  ") != nil && name.refusal(of: "A\u{0007}") != nil)
        #expect(name.refusal(of: String(repeating: "a", count: 257)) != nil && name.masked("Ada Lovelace") == "A***")
        #expect(try field("addresses.additional2.line1").masked("17 Wraxall Mews") == "***")
        #expect(HolderField.all.count == HolderField.byName.count)
    }

    @Test func aBodyIsReadFlatByFieldNameAndWrittenBackNestedAndSorted() throws {
        let text = #"""
            {"type":"LEGAL_PERSON","name":"Acme","document":"1","contact":{"primaryEmail":"a@b.c","otherPhone":null},
             "legalPerson":{"representative":{"name":"Bo","email":""}},"addresses":null,"metadata":{"k":1}}
            """#
        let body = try BodyReader.decode(HolderBody.Create.self, from: Data(text.utf8)).body
        #expect(body.personal == [
            PersonalFieldName("name"): "Acme", PersonalFieldName("document"): "1", PersonalFieldName("contact.primaryEmail"): "a@b.c",
            PersonalFieldName("legalPerson.representative.name"): "Bo", PersonalFieldName("legalPerson.representative.email"): "",
        ])
        #expect(body.type == "LEGAL_PERSON" && body.metadata?.entries["k"] == .number(1))
        let written = String(decoding: try JSONResponse.encode(body), as: UTF8.self)
        #expect(written == #"{"contact":{"primaryEmail":"a@b.c"},"document":"1","legalPerson":{"representative":{"email":"","name":"Bo"}},"metadata":{"k":1},"name":"Acme","type":"LEGAL_PERSON"}"#)
        try body.validate(creating: true, kind: try body.kind())
    }

    @Test func validationNamesEveryBadFieldAndNoValue() throws {
        let text = #"""
            {"type":"NATURAL_PERSON","name":"","document":"secret-doc-99","contact":{"primaryEmail":"secret-not-an-email"},
             "legalPerson":{"tradeName":"x"},"externalId":"\#(String(repeating: "e", count: 101))"}
            """#
        let body = try BodyReader.decode(HolderBody.Create.self, from: Data(text.utf8)).body
        do {
            try body.validate(creating: true, kind: try body.kind())
            Issue.record("a bad body was accepted")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(Set(error.fields.map(\.field)) == ["name", "contact.primaryEmail", "legalPerson", "externalId"])
            #expect(!error.detail.contains("secret") && !error.fields.contains { $0.message.contains("secret") })
        }
        // On a change an empty string removes a field, but never the name.
        let change = try BodyReader.decode(HolderBody.Change.self, from: Data(#"{"contact":{"mobilePhone":""},"type":null}"#.utf8)).body
        try change.validate(creating: false, kind: .naturalPerson)
        let noName = try BodyReader.decode(HolderBody.Change.self, from: Data(#"{"name":""}"#.utf8)).body
        #expect(throws: StrongroomError.self) { try noName.validate(creating: false, kind: .naturalPerson) }
        #expect(throws: StrongroomError.self) { try BodyReader.decode(HolderBody.Change.self, from: Data(#"{"document":"1"}"#.utf8)) }
    }
}

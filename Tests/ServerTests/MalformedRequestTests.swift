import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// Every malformed request gets a 4xx problem body; none gets a 5xx.
@Suite("Malformed requests")
struct MalformedRequestTests {
    @Test func unknownRoutesAndWrongMethods() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            try await client.json(.get, "/no/such/route").expectProblem(.notFound, code: "SR-0005")
            try await client.json(.get, "/v1/auth/login/../../etc/passwd").expectProblem(.notFound)
            let wrongMethod = try await client.json(.delete, "/health")
            try wrongMethod.expectProblem(.methodNotAllowed, code: "SR-0006")
            #expect(wrongMethod.headers[.allow] == "GET")
            try await client.json(.get, "/v1/auth/login").expectProblem(.methodNotAllowed, code: "SR-0006")
        }
    }

    @Test func bodiesThatAreNotJSONAreRefusedWhateverTheirContentType() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            for contentType in ["application/json", "text/plain", "application/x-www-form-urlencoded"] {
                for body in ["not json", "{", "{\"username\": }", "", "\u{FF}\u{FE}"] {
                    let response = try await client.json(
                        .post, "/v1/auth/login", body: body, headers: [.contentType: contentType]
                    )
                    try response.expectProblem(.badRequest, code: "SR-0001")
                }
            }
            try await client.json(.post, "/v1/auth/login", body: "[1, 2]").expectProblem(.badRequest, code: "SR-0001")
            let invalidUTF8 = try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])
            )
            try invalidUTF8.expectProblem(.badRequest, code: "SR-0001")
        }
    }

    @Test func unknownFieldsAndWrongTypesNameTheField() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let unknown = try await client.json(.post, "/v1/auth/login", body: #"{"username":"a","password":"b","admin":true}"#)
            try unknown.expectProblem(.badRequest, code: "SR-0003")
            let fields = try #require(try unknown.object()["fields"] as? [[String: String]])
            #expect(fields.first?["field"] == "admin")
            let wrongType = try await client.json(.post, "/v1/auth/login", body: #"{"username":42,"password":"b"}"#)
            try wrongType.expectProblem(.badRequest, code: "SR-0002")
            #expect(try (wrongType.object()["fields"] as? [[String: String]])?.first?["field"] == "username")
            let missing = try await client.json(.post, "/v1/auth/login", body: #"{"username":"admin"}"#)
            try missing.expectProblem(.badRequest, code: "SR-0002")
        }
    }

    @Test func duplicateMembersOtherEncodingsAndNullsAreRefused() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let twice = try await client.json(.post, "/v1/auth/login", body: #"{"username":"a","username":"b","password":"c"}"#)
            try twice.expectProblem(.badRequest, code: "SR-0001")
            #expect(try (twice.object()["fields"] as? [[String: String]])?.first?["field"] == "username")
            // A parameter given twice in the OAuth endpoints' JSON form is refused as in a form.
            let token = try await client.json(.post, "/v1/auth/token", body: #"{"grant_type":"refresh_token","grant_type":"client_credentials"}"#)
            #expect(token.status == .badRequest)
            #expect(try token.object()["error"] as? String == "invalid_request")
            // UTF-16 (with its byte-order mark) would be guessed and decoded by the parser.
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in #"{"username":"a","password":"b"}"#.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            let wide = try await client.execute(
                uri: "/v1/auth/login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: utf16)
            )
            try wide.expectProblem(.badRequest, code: "SR-0001")
            // null for a required field is refused; for an optional one (totp) it is absence.
            let null = try await client.json(.post, "/v1/auth/login", body: #"{"username":null,"password":"b"}"#)
            try null.expectProblem(.badRequest, code: "SR-0002")
            #expect(try (null.object()["fields"] as? [[String: String]])?.first?["field"] == "username")
            let allowed = try await client.json(.post, "/v1/auth/login", body: #"{"username":"nobody","password":"wrong-password","totp":null}"#)
            #expect(allowed.status == .unauthorized)
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let threeMiB = #"{"username":""# + String(repeating: "a", count: 3 << 20) + #"","password":"x"}"#
            try await client.json(.post, "/v1/auth/login", body: threeMiB).expectProblem(.contentTooLarge, code: "SR-0004")
        }
    }

    @Test func missingOrBadTokensAre401() async throws {
        try await TestServer.with(.sqlite) { client, _, _ in
            let none = try await client.json(.get, "/v1/permissions")
            try none.expectProblem(.unauthorized, code: "SR-1001")
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            for token in ["garbage", "a.b.c", "", String(repeating: "x", count: 10_000)] {
                try await client.json(.get, "/v1/permissions", token: token).expectProblem(.unauthorized, code: "SR-1001")
            }
            try await client.json(.get, "/v1/permissions", headers: [.authorization: "Basic YWRtaW46eA=="])
                .expectProblem(.unauthorized, code: "SR-1001")
        }
    }
}

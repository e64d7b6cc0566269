import Foundation
import Subprocess
import Testing

/// Every log line of a request carries the caller's W3C trace id (or a new one when it sent
/// none, or an invalid one) and a span id of the request's own, beside the request id: one
/// id finds the request in the caller's traces and in our logs.
@Suite("Trace ids in the logs")
struct TraceLogTests {
    @Test func aRequestsLogLinesCarryItsTraceID() async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let incoming = "4bf92f3577b34da6a3ce929d0e0e4736"
        let served = try await ServerProcessTests.withServer(arguments: ["--log-level", "debug"], environment: [:], directory: directory) { server in
            for (id, traceparent) in [("traced", "00-\(incoming)-00f067aa0ba902b7-01"), ("untraced", nil), ("mangled", "00-\(incoming.uppercased())-00f067aa0ba902b7-01")] {
                var arguments = ["-s", "-o", "/dev/null", "-H", "X-Request-Id: \(id)", "\(server.baseURL)/health"]
                if let traceparent { arguments += ["-H", "traceparent: \(traceparent)"] }
                _ = try await ServerProcessTests.run(.name("curl"), arguments)
            }
        }
        let lines = try served.logs.split(separator: "\n").compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        func line(of request: String) throws -> [String: Any] {
            try #require(lines.first { $0["request_id"] as? String == request && $0["message"] as? String == "request" }, "\(served.logs)")
        }
        let traced = try line(of: "traced")
        #expect(traced["trace_id"] as? String == incoming)
        let span = try #require(traced["span_id"] as? String)
        #expect(span.count == 16 && span != "00f067aa0ba902b7")
        for request in ["untraced", "mangled"] {
            let trace = try #require(try line(of: request)["trace_id"] as? String)
            #expect(trace.count == 32 && trace != incoming, "\(request)")
        }
    }
}

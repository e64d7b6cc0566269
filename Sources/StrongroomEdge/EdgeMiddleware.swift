import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import StrongroomKernel
import Tracing

/// The outermost layer of every request: assigns the request id, takes the client's address
/// from a trusted proxy's `X-Forwarded-For`, refuses oversized bodies before reading them,
/// turns every error into a problem body (404 and 405 included), adds the headers every
/// response carries, and times each response by its route. With tracing on, the request is a
/// span (the caller's `traceparent` its parent) that everything the request does nests in.
/// Generic over the server's context, of which it knows only the request id, the source
/// address and the request's span.
public struct EdgeMiddleware<Context: EdgeRequestContext>: RouterMiddleware {
    let routes: any RouteShapes
    let maxBodyBytes: Int
    let tlsEnabled: Bool
    let trustedProxies: TrustedProxies
    let metrics: ResponseMetrics
    /// Nil when tracing is off.
    let tracing: RequestTracing?

    public init(
        routes: any RouteShapes, maxBodyBytes: Int, tlsEnabled: Bool, trustedProxies: TrustedProxies, metrics: ResponseMetrics,
        tracing: RequestTracing? = nil
    ) {
        self.routes = routes
        self.maxBodyBytes = maxBodyBytes
        self.tlsEnabled = tlsEnabled
        self.trustedProxies = trustedProxies
        self.metrics = metrics
        self.tracing = tracing
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let requestID = RequestID.accept(request.headers[.xRequestID])
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let caller = TraceParent.of(request.headers)
        guard let tracing, let parent = tracing.recordedParent(of: request.headers, caller: caller) else {
            // Not recorded (or tracing off): the caller's trace when it names one (W3C
            // traceparent), else a new one; this request is a span of its own. Every log line
            // of the request carries both. No span is made, here or below (`Traced`).
            context.logger[metadataKey: "trace_id"] = .string(caller?.traceID ?? TraceIDs.traceID())
            context.logger[metadataKey: "span_id"] = .string(TraceIDs.spanID())
            return await respond(to: request, context: context, start: start, next: next)
        }
        // The span is named by its method until the router has matched a route, then by both.
        return await tracing.tracer.withSpan(request.method.rawValue, context: parent, ofKind: .server) { span in
            context.requestSpan = span
            // Its ids, as the tracer drew them (or the caller's trace id), on every log line.
            for (key, value) in tracing.spanIDs.get() { context.logger[metadataKey: key] = value }
            let response = await respond(to: request, context: context, start: start, next: next)
            let method = ResponseMetrics.methodName(request.method)
            if let route = Self.route(of: context) {
                span.operationName = "\(method) \(route)"
                span.attributes["http.route"] = route
            }
            span.attributes["http.request.method"] = method
            span.attributes["http.response.status_code"] = response.status.code
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        }
    }

    /// The request's answer, with the headers every response carries, counted and timed.
    private func respond(
        to request: Request, context: Context, start: ContinuousClock.Instant, next: (Request, Context) async throws -> Response
    ) async -> Response {
        var context = context
        let requestID = context.requestID
        if !trustedProxies.isEmpty {
            context.sourceAddress = trustedProxies.clientAddress(
                peer: context.sourceAddress, forwardedFor: request.headers[values: .xForwardedFor]
            )
        }

        var response: Response
        let limit = bodyLimit(for: request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            response = Problem.response(.payloadTooLarge(limit: limit), requestID: requestID)
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = problem(for: error, request: request, context: context)
            }
        }
        response.headers[.xRequestID] = requestID
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if tlsEnabled { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        // Here, once per response, whatever answered it: a route, a problem, a 404 or 405.
        metrics.countResponse(status: response.status.code)
        metrics.recordDuration(
            method: request.method, route: Self.route(of: context), status: response.status.code, duration: .now - start
        )
        context.logger.debug(
            "request",
            metadata: ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)"]
        )
        return response
    }

    /// The template of the route that answered (`/v1/organizations/{organization_id}`), never
    /// the concrete path; nil when none matched (the router's "NotFound" included).
    private static func route(of context: Context) -> String? {
        guard let path = context.endpointPath, path.hasPrefix("/") else { return nil }
        return path
    }

    /// The limit the request's route declares (the batch route's 8 MiB), or the configured
    /// one. The route reads its body with the same limit.
    private func bodyLimit(for request: Request) -> Int {
        routes.bodyLimit(method: request.method, concretePath: request.uri.path) ?? maxBodyBytes
    }

    private func problem(for error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case let error as StrongroomError:
            return problem(error, context: context)
        case let error as HTTPError where error.status == .notFound:
            let allowed = routes.methods(matching: request.uri.path)
            guard !allowed.isEmpty else {
                return Problem.response(
                    StrongroomError(.routeNotFound, "No route matches \(request.uri.path)."), requestID: context.requestID
                )
            }
            var headers: HTTPFields = [:]
            headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return Problem.response(
                StrongroomError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here."),
                requestID: context.requestID, headers: headers
            )
        case let error as HTTPError where error.status == .contentTooLarge:
            return Problem.response(.payloadTooLarge(limit: bodyLimit(for: request)), requestID: context.requestID)
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return Problem.response(
                StrongroomError(.invalidQuery, "The request is malformed."), requestID: context.requestID
            )
        case let error as any ClientFacingError where error.clientProblem != nil:
            return problem(error.clientProblem ?? Problem.internalError, context: context)
        default:
            // A bug. The details go to the log with the request id, never to the client.
            // Error descriptions here carry no request data (PSQLError's hides the server's).
            context.logger.error(
                "unhandled error",
                metadata: ["error_type": "\(String(reflecting: type(of: error)))", "error": "\(String(describing: error).prefix(300))"]
            )
            return Problem.response(Problem.internalError, requestID: context.requestID)
        }
    }

    /// A coded refusal: a 401 names the scheme to authenticate with, and a 503 (the database
    /// out of reach, a full queue, shutting down) says when to come back.
    private func problem(_ error: StrongroomError, context: Context) -> Response {
        var headers: HTTPFields = [:]
        switch error.kind {
        case .unauthorized: headers[.wwwAuthenticate] = "Bearer"
        case .unavailable: headers[.retryAfter] = "1"
        default: break
        }
        return Problem.response(error, requestID: context.requestID, headers: headers)
    }
}

extension HTTPField.Name {
    public static let xRequestID = Self("X-Request-Id")!
    public static let xForwardedFor = Self("X-Forwarded-For")!
    public static let xContentTypeOptions = Self("X-Content-Type-Options")!
    public static let strictTransportSecurity = Self("Strict-Transport-Security")!
    public static let pragma = Self("Pragma")!
}

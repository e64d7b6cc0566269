import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import Storage
import StrongroomKernel

/// Turns a request's bearer token into a principal and applies the route's requirement.
struct Authenticator: Sendable {
    let tokens: TokenAuthority
    let persistence: Persistence
    let cache: PrincipalCache

    /// The caller a request's bearer token names (nil on public routes, or when there is no
    /// valid token). Never throws for a bad token: the decision does.
    func authenticate(_ requirement: AccessRequirement, request: Request, context: AppRequestContext) async throws -> Principal? {
        if case .publicRoute = requirement { return nil }
        return try await principal(for: request, logger: context.logger)
    }

    /// Applies the route's requirement to the caller and the request's target: passes, or
    /// throws 401 / 403.
    func check(_ requirement: AccessRequirement, for principal: Principal?, on target: AccessTarget) throws {
        if case .publicRoute = requirement { return }
        switch AccessPolicy.decide(requirement, for: principal, on: target) {
        case .allow: return
        case .unauthenticated: throw StrongroomError.unauthenticated
        case .denied(let error): throw error
        }
    }

    private func principal(for request: Request, logger: Logger) async throws -> Principal? {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { return nil }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let claims: AccessTokenClaims
        do {
            claims = try await tokens.verify(token)
        } catch {
            logger.debug("token refused", metadata: ["reason": "\(error)"])
            return nil
        }
        if let cached = cache.principal(tokenID: claims.tokenID) { return cached }
        guard let principal = try await PrincipalResolver.resolve(claims: claims, store: persistence.identity) else {
            return nil
        }
        cache.store(principal, expiresAt: claims.expiresAt)
        return principal
    }
}

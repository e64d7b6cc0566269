import Foundation
import NIOHTTP1

/// Who the load generator acts as.
public enum Credentials: Sendable {
    /// A user; with an authenticator, its login sends a one-time code too.
    case user(username: String, password: String, authenticator: BenchAuthenticator? = nil)
    case client(id: String, secret: String)

    /// The user's name; nil for a machine client.
    var username: String? {
        if case .user(let username, _, _) = self { username } else { nil }
    }
}

/// Keeps a current access token for the run: logs in (or asks for client credentials) at the
/// start and again before the token expires, so a run longer than a token's lifetime goes on
/// authenticated; a user's session renews through its refresh token.
actor TokenSource {
    private let credentials: Credentials
    private var token: String?
    private var refreshToken: String?
    private var renewAt = Date.distantPast
    private var renewal: Task<Void, any Error>?

    init(credentials: Credentials) {
        self.credentials = credentials
    }

    func current(_ client: BenchClient) async throws -> String {
        if let token, Date() < renewAt { return token }
        if renewal == nil {
            renewal = Task { try await renew(client) }
        }
        let pending = renewal!
        do {
            try await pending.value
        } catch {
            renewal = nil
            throw error
        }
        renewal = nil
        guard let token else { throw BenchClient.Failure(description: "no access token") }
        return token
    }

    private func renew(_ client: BenchClient) async throws {
        let answer: BenchClient.Answer
        switch credentials {
        case .user(let username, let password, let authenticator):
            if let refreshToken {
                answer = try await client.raw(
                    .POST, "/v1/auth/token", body: Data("grant_type=refresh_token&refresh_token=\(refreshToken)".utf8),
                    headers: [("Content-Type", "application/x-www-form-urlencoded")]
                )
            } else {
                var fields = ["username": username, "password": password]
                // The next step's code (the server takes one step either side): the current
                // one may be the code that just confirmed the enrolment, spent.
                fields["totp"] = authenticator?.code(at: Date().addingTimeInterval(30))
                let body = try JSONSerialization.data(withJSONObject: fields)
                answer = try await client.raw(.POST, "/v1/auth/login", body: body)
            }
        case .client(let id, let secret):
            let basic = Data("\(Self.formEncode(id)):\(Self.formEncode(secret))".utf8).base64EncodedString()
            answer = try await client.raw(
                .POST, "/v1/auth/token", body: Data("grant_type=client_credentials".utf8),
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(basic)")]
            )
        }
        guard answer.status == 200, let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let token = object["access_token"] as? String
        else {
            throw BenchClient.Failure(description: "authentication answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        if let restriction = object["restricted"] as? String {
            throw BenchClient.Failure(description: "the account's token is restricted (\(restriction)); complete that step first")
        }
        let lifetime = (object["expires_in"] as? Int) ?? 600
        self.token = token
        self.refreshToken = object["refresh_token"] as? String
        // Renew once two thirds of the lifetime has passed.
        renewAt = Date().addingTimeInterval(Double(lifetime) * 2 / 3)
    }

    /// RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding.
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

import Crypto
import Foundation

/// An outside identity provider whose access tokens Strongroom accepts: who it is, which
/// audience its tokens must name, and how a claim of its tokens maps to Strongroom groups.
///
/// Only mapped values grant anything: an outside group that is not in the map is ignored, so
/// a new group at the provider gains nothing here until an operator maps it.
public struct ExternalIssuer: Sendable, Equatable {
    /// The `iss` its tokens carry, compared exactly.
    public let issuer: String
    /// A value that must be among the token's `aud`.
    public let audience: String
    /// The claim whose values (a string or an array of strings) name the caller's groups there.
    public let groupsClaim: String
    /// Outside value → Strongroom group names.
    public let groupMap: [String: Set<String>]
    /// Accepted `typ` header values, lower-cased; `application/` prefixes are ignored.
    public let tokenTypes: Set<String>
    /// The longest `exp - iat` accepted: a token that lives longer is refused.
    public let maxLifetimeSeconds: Int64

    public static let allowedLifetimes: ClosedRange<Int64> = 60...86_400
    /// Bigger than our own tokens: an outside token carries its groups and more.
    public static let maxTokenBytes = 8192

    public init(
        issuer: String, audience: String, groupsClaim: String, groupMap: [String: Set<String>], tokenTypes: Set<String>,
        maxLifetimeSeconds: Int64
    ) {
        self.issuer = issuer
        self.audience = audience
        self.groupsClaim = groupsClaim
        self.groupMap = groupMap
        self.tokenTypes = Set(tokenTypes.map(Self.normalizedType))
        self.maxLifetimeSeconds = maxLifetimeSeconds
    }

    /// The Strongroom group names the outside values map to, sorted.
    public func groupNames(for values: [String]) -> [String] {
        Set(values.flatMap { groupMap[$0] ?? [] }).sorted()
    }

    func accepts(type: String?) -> Bool {
        guard let type else { return false }
        return tokenTypes.contains(Self.normalizedType(type))
    }

    /// RFC 7515 §4.1.9: `typ` is compared case-insensitively and `application/` may be left off.
    static func normalizedType(_ type: String) -> String {
        let lower = type.lowercased()
        return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
    }

    /// The Strongroom id of an outside subject: the same for the same issuer and subject in
    /// every process and release, and never that of a Strongroom user (it is a version 8 UUID;
    /// ours are version 7). The subject itself is never stored or logged.
    public func principalID(subject: String) -> UUID {
        var input = Array("strongroom external principal v1".utf8)
        input.append(0)
        input += Array(issuer.utf8)
        input.append(0)
        input += Array(subject.utf8)
        var bytes = Array(SHA256.hash(data: input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8: custom
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // the RFC 9562 variant
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }

    /// Parses `outside=group,outside2=group2`: one value may map to several groups by appearing
    /// more than once. Names are trimmed; an empty side or a missing `=` is refused.
    public static func parseGroupMap(_ text: String) throws(ExternalIssuerError) -> [String: Set<String>] {
        var map: [String: Set<String>] = [:]
        for entry in text.split(separator: ",") {
            let sides = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard sides.count == 2 else { throw .invalidGroupMap("\"\(entry)\" is not outside=group") }
            let outside = sides[0].trimmingCharacters(in: .whitespaces)
            let group = sides[1].trimmingCharacters(in: .whitespaces)
            guard !outside.isEmpty, !group.isEmpty else { throw .invalidGroupMap("\"\(entry)\" has an empty side") }
            map[outside, default: []].insert(group)
        }
        guard !map.isEmpty else { throw .invalidGroupMap("it maps nothing") }
        return map
    }
}

/// Why an outside issuer's configuration or key set was refused.
public enum ExternalIssuerError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidGroupMap(String)
    case invalidKeySet(String)

    public var description: String {
        switch self {
        case .invalidGroupMap(let why): "the outside issuer's group map is invalid: \(why)"
        case .invalidKeySet(let why): "the outside issuer's key set is invalid: \(why)"
        }
    }
}

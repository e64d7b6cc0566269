import Foundation
import StrongroomKernel

/// What identity needs from storage. `Storage` implements it for SQLite and PostgreSQL; the
/// store conformance suite runs every method against both.
///
/// A store is bound either to a unit of work (its writes commit or roll back together with
/// everything else in it) or to the database for reads.
public protocol IdentityStore: Sendable {
    // Users.
    func countUsers() async throws -> Int
    /// Throws `usernameTaken` when the (folded) username exists.
    func insertUser(_ user: User) async throws
    func user(id: UUID) async throws -> User?
    func user(username: Username) async throws -> User?
    /// Users ordered by id, after `cursor` when given.
    func users(after cursor: UUID?, limit: Int) async throws -> [User]
    func updatePassword(userID: UUID, hash: PasswordHash, mustChangePassword: Bool, at: Timestamp) async throws
    func updateStatus(userID: UUID, status: User.Status, at: Timestamp) async throws

    // Groups and membership.
    /// Inserts the group unless one of that name exists; answers the stored group either way.
    func ensureGroup(_ group: Group) async throws -> Group
    /// Throws `groupNameTaken` when the name exists.
    func insertGroup(_ group: Group) async throws
    /// Stores the group's permissions (with their expiries), scope and MFA flag.
    func updateGroup(_ group: Group) async throws
    /// Grants the group those of `permissions` it lacks, leaving the rest; answers the ones
    /// this call added (none when another process added them first).
    func addPermissions(_ permissions: Set<Permission>, toGroup groupID: UUID) async throws -> Set<Permission>
    func group(name: String) async throws -> Group?
    func group(id: UUID) async throws -> Group?
    /// Every group, ordered by name.
    func groups() async throws -> [Group]
    func addMember(userID: UUID, groupID: UUID) async throws
    /// Replaces a user's (or client's) memberships; those named in `expiries` lapse then.
    func setMemberships(principalID: UUID, kind: PrincipalKind, groupIDs: [UUID], expiries: [UUID: Timestamp]) async throws
    /// The groups a user (or client) belongs to, ordered by name, lapsed memberships included.
    func groups(of principalID: UUID, kind: PrincipalKind) async throws -> [Group]
    /// Whether any user (or client) belongs to the group, a lapsed membership included.
    func hasMembers(groupID: UUID, kind: PrincipalKind) async throws -> Bool
    /// The memberships of a user (or client) with their expiries, ordered by group name.
    func memberships(of principalID: UUID, kind: PrincipalKind) async throws -> [Membership]
    /// Memberships and grants whose expiry is at or before `now`, oldest expiry first.
    func lapses(at now: Timestamp, limit: Int) async throws -> [AccessLapse]
    /// Removes the lapsed membership or grant if it is still stored with that expiry; false
    /// when another process removed it first, or an administrator renewed it since.
    func remove(_ lapse: AccessLapse) async throws -> Bool

    // Machine clients.
    func insertClient(_ client: MachineClient) async throws
    func updateClient(_ client: MachineClient) async throws
    func client(id: UUID) async throws -> MachineClient?
    /// Clients that are not deleted, ordered by id.
    func clients() async throws -> [MachineClient]

    // Refresh tokens and revoked access tokens.
    func insertRefreshToken(_ token: RefreshTokenRecord) async throws
    /// Spends the token if it is live (one winner across processes); reports a replay of a
    /// spent one after revoking its family.
    func spendRefreshToken(hash: String, at now: Timestamp) async throws -> RefreshOutcome
    /// Revokes the family the token belongs to; false when there is no such live token.
    func revokeRefreshFamily(containing hash: String) async throws -> Bool
    func revokeRefreshTokens(ofUser userID: UUID) async throws
    func revokeAccessToken(tokenID: String, expiresAt: Timestamp) async throws
    func isAccessTokenRevoked(tokenID: String) async throws -> Bool

    // TOTP.
    /// Stores a new, unconfirmed enrolment (replacing an unconfirmed one).
    func setTOTP(userID: UUID, sealedSecret: [UInt8], at: Timestamp) async throws
    func totp(userID: UUID) async throws -> TOTPEnrollment?
    func confirmTOTP(userID: UUID, at: Timestamp) async throws
    /// Removes the enrolment, confirmed or not (an administrator's reset); false when the
    /// user had none.
    func clearTOTP(userID: UUID, at: Timestamp) async throws -> Bool
    /// Moves the last accepted step forward to `step`; false when it already is there or
    /// past it (the code was spent, here or in another process).
    func spendTOTPStep(userID: UUID, step: Int64) async throws -> Bool

    // Login throttling.
    func loginCounters(keys: [String]) async throws -> [String: LoginThrottle.Counter]
    /// Counts one failure (starting a new window when the last one is over) and answers the
    /// counter as it now stands.
    func recordLoginFailure(key: String, at now: Timestamp) async throws -> LoginThrottle.Counter
    func extendLoginLock(key: String, until: Timestamp) async throws
    func clearLoginCounter(key: String) async throws
    func rememberLoginSource(account: String, source: String, at: Timestamp) async throws
    func isKnownLoginSource(account: String, source: String, since: Timestamp) async throws -> Bool
    /// Drops counters, known sources and revocations whose time is over.
    func pruneExpired(at now: Timestamp) async throws

    // Signing keys.
    func insertSigningKey(_ key: SigningKeyRecord) async throws
    /// Every signing key, oldest first.
    func signingKeys() async throws -> [SigningKeyRecord]
}

extension IdentityStore {
    /// Replaces a user's (or client's) memberships with ones that do not lapse.
    public func setMemberships(principalID: UUID, kind: PrincipalKind, groupIDs: [UUID]) async throws {
        try await setMemberships(principalID: principalID, kind: kind, groupIDs: groupIDs, expiries: [:])
    }
}

/// A user's TOTP enrolment as stored.
public struct TOTPEnrollment: Sendable, Equatable {
    public let sealedSecret: [UInt8]
    public let confirmed: Bool
    public let lastUsedStep: Int64

    public init(sealedSecret: [UInt8], confirmed: Bool, lastUsedStep: Int64) {
        self.sealedSecret = sealedSecret
        self.confirmed = confirmed
        self.lastUsedStep = lastUsedStep
    }
}

extension StrongroomError {
    public static let usernameTaken = StrongroomError(.usernameTaken, "That username is taken.")
    public static let groupNameTaken = StrongroomError(.groupNameTaken, "A group of that name exists.")
}

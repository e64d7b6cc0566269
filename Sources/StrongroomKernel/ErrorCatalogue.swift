/// Every error code the service answers with, each declared once with its kind and title.
///
/// The one list a client's codes come from: `Tests/KernelTests/ErrorCatalogueTests` holds it
/// to unique codes, to the code table of `openapi.yaml` (code and status) and to being the
/// only place a code is made. A new code goes in its area's block and in `all`, with the
/// next unused number; a code is never renumbered or reused.
extension ErrorCode {
    // MARK: Request shape (SR-0xxx)

    public static let malformedJSON = ErrorCode("SR-0001", .badRequest, "Malformed JSON")
    public static let invalidField = ErrorCode("SR-0002", .badRequest, "Invalid field")
    public static let unknownField = ErrorCode("SR-0003", .badRequest, "Unknown field")
    public static let payloadTooLarge = ErrorCode("SR-0004", .payloadTooLarge, "Body too large")
    public static let routeNotFound = ErrorCode("SR-0005", .notFound, "No such route")
    public static let methodNotAllowed = ErrorCode("SR-0006", .methodNotAllowed, "Method not allowed")
    public static let invalidQuery = ErrorCode("SR-0007", .badRequest, "Invalid query parameter")
    /// A route that names its organization in Midaz's `X-Organization-Id` header (the
    /// holders' routes) was sent none, or one that is not an id.
    public static let organizationHeader = ErrorCode("SR-0008", .badRequest, "Missing or invalid X-Organization-Id")

    // MARK: Identity and access (SR-1xxx)

    public static let unauthenticated = ErrorCode("SR-1001", .unauthorized, "Not authenticated")
    public static let invalidCredentials = ErrorCode("SR-1002", .unauthorized, "Wrong username or password")
    public static let permissionDenied = ErrorCode("SR-1003", .forbidden, "Permission denied")
    public static let restrictedToken = ErrorCode("SR-1004", .forbidden, "Token restricted to another purpose")
    public static let invalidUsername = ErrorCode("SR-1005", .unprocessable, "Invalid username")
    public static let weakPassword = ErrorCode("SR-1006", .unprocessable, "Password too weak")
    public static let usernameTaken = ErrorCode("SR-1007", .conflict, "Username taken")
    public static let passwordReused = ErrorCode("SR-1008", .unprocessable, "Password unchanged")
    public static let outOfScope = ErrorCode("SR-1009", .forbidden, "Outside the grant's scope")
    public static let groupNameTaken = ErrorCode("SR-1010", .conflict, "Group name taken")
    public static let unknownGroup = ErrorCode("SR-1011", .unprocessable, "Unknown group")
    public static let unknownPermission = ErrorCode("SR-1012", .unprocessable, "Unknown permission")
    public static let grantBeyondOwn = ErrorCode("SR-1013", .forbidden, "Grant beyond the caller's own")
    public static let builtInGroup = ErrorCode("SR-1014", .unprocessable, "Built-in group is fixed")
    public static let loginThrottled = ErrorCode("SR-1015", .tooManyRequests, "Too many failed logins")
    public static let secondFactorRequired = ErrorCode("SR-1016", .unauthorized, "One-time code required")
    public static let invalidSecondFactor = ErrorCode("SR-1017", .unauthorized, "Wrong one-time code")
    public static let mfaAlreadyEnrolled = ErrorCode("SR-1018", .conflict, "TOTP already enrolled")
    public static let mfaNotStarted = ErrorCode("SR-1019", .conflict, "No TOTP enrolment to confirm")
    public static let identityNotFound = ErrorCode("SR-1020", .notFound, "Identity not found")
    public static let invalidScope = ErrorCode("SR-1021", .unprocessable, "Invalid identity field")
    public static let stepUpRequired = ErrorCode("SR-1022", .forbidden, "Step-up required")
    public static let secondFactorNotEnrolled = ErrorCode("SR-1023", .forbidden, "Authenticator not enrolled")
    public static let sensitiveForClient = ErrorCode("SR-1024", .unprocessable, "Sensitive permission for a machine client")

    // MARK: Ledger posting rules (SR-2001…2019, 2026, 2027, 2035, 2036): each rule refuses with its own code

    public static let invalidAmount = ErrorCode("SR-2001", .unprocessable, "Invalid amount")
    public static let legsDoNotAddUp = ErrorCode("SR-2002", .unprocessable, "Legs do not add up")
    public static let invalidShare = ErrorCode("SR-2003", .unprocessable, "Invalid share")
    public static let moreThanOneRemaining = ErrorCode("SR-2004", .unprocessable, "More than one remaining leg")
    public static let nothingRemaining = ErrorCode("SR-2005", .unprocessable, "Nothing remaining")
    public static let noLegs = ErrorCode("SR-2006", .unprocessable, "No legs")
    public static let tooManyLegs = ErrorCode("SR-2007", .unprocessable, "Too many legs")
    public static let assetMismatch = ErrorCode("SR-2008", .unprocessable, "Asset mismatch")
    public static let sameAccountBothSides = ErrorCode("SR-2009", .unprocessable, "Same account on both sides")
    public static let insufficientFunds = ErrorCode("SR-2010", .unprocessable, "Insufficient funds")
    public static let sendingNotAllowed = ErrorCode("SR-2011", .unprocessable, "Sending not allowed")
    public static let receivingNotAllowed = ErrorCode("SR-2012", .unprocessable, "Receiving not allowed")
    public static let accountBlocked = ErrorCode("SR-2013", .unprocessable, "Account blocked")
    public static let amountOverflow = ErrorCode("SR-2014", .unprocessable, "Amount out of range")
    public static let unknownAccount = ErrorCode("SR-2015", .unprocessable, "Unknown account")
    public static let notPending = ErrorCode("SR-2016", .unprocessable, "Transaction not pending")
    public static let unknownAsset = ErrorCode("SR-2017", .unprocessable, "Unknown asset")
    public static let alreadyReverted = ErrorCode("SR-2018", .unprocessable, "Already reverted")
    // A revert names a transaction that cannot be reverted, each reason with its own code.
    public static let canceledNotRevertible = ErrorCode("SR-2019", .unprocessable, "Cancelled transaction not revertible")
    public static let pendingNotRevertible = ErrorCode("SR-2027", .unprocessable, "Pending transaction not revertible")
    public static let reversalNotRevertible = ErrorCode("SR-2036", .unprocessable, "Reversal not revertible")
    public static let invalidPendingExpiry = ErrorCode("SR-2026", .unprocessable, "Invalid pending expiry")
    public static let legAllocation = ErrorCode("SR-2035", .unprocessable, "Leg needs one allocation")

    // MARK: Ledger entities (SR-2020…2025, 2028, 2029, 2033, 2034)

    public static let entityNotFound = ErrorCode("SR-2020", .notFound, "Not found")
    public static let aliasTaken = ErrorCode("SR-2021", .conflict, "Alias taken")
    public static let assetCodeTaken = ErrorCode("SR-2022", .conflict, "Asset code taken")
    public static let nonZeroBalance = ErrorCode("SR-2023", .unprocessable, "Non-zero balance")
    public static let invalidMetadata = ErrorCode("SR-2024", .unprocessable, "Invalid metadata")
    public static let invalidValue = ErrorCode("SR-2025", .unprocessable, "Invalid value")
    public static let stillInUse = ErrorCode("SR-2028", .unprocessable, "Still in use")
    public static let reservedAlias = ErrorCode("SR-2029", .unprocessable, "Reserved alias")
    public static let unknownReference = ErrorCode("SR-2033", .unprocessable, "Unknown reference")
    public static let externalAccount = ErrorCode("SR-2034", .unprocessable, "External account is fixed")

    // MARK: Idempotency and batches (SR-2030…2032, 2040)

    public static let idempotencyKeyReused = ErrorCode("SR-2030", .unprocessable, "Idempotency key reused")
    public static let idempotencyInFlight = ErrorCode("SR-2031", .conflict, "Idempotent request in flight")
    public static let invalidIdempotencyKey = ErrorCode("SR-2032", .badRequest, "Invalid idempotency key")
    /// An atomic batch with at least one refused item: nothing was committed.
    public static let batchRefused = ErrorCode("SR-2040", .unprocessable, "Batch refused")

    // MARK: Controls (SR-3xxx): each control that stops money moving refuses with its own code

    public static let accountFrozen = ErrorCode("SR-3001", .unprocessable, "Account frozen")
    public static let portfolioLocked = ErrorCode("SR-3002", .unprocessable, "Portfolio locked")
    public static let ledgerFrozen = ErrorCode("SR-3003", .unprocessable, "Ledger frozen")

    // MARK: Maker-checker (SR-3004…3015): limits refuse, approvals decide, each with its own code

    public static let transactionLimitExceeded = ErrorCode("SR-3004", .unprocessable, "Transaction limit exceeded")
    public static let dailyLimitExceeded = ErrorCode("SR-3005", .unprocessable, "Daily limit exceeded")
    public static let makerCannotApprove = ErrorCode("SR-3006", .forbidden, "Maker cannot decide own request")
    public static let alreadyDecided = ErrorCode("SR-3007", .conflict, "Already decided")
    public static let approvalClosed = ErrorCode("SR-3008", .conflict, "Approval request closed")
    public static let clientCannotApprove = ErrorCode("SR-3009", .forbidden, "Machine client cannot decide")
    public static let notAnApprover = ErrorCode("SR-3010", .forbidden, "Not in the approving group")
    public static let onlyMakerWithdraws = ErrorCode("SR-3011", .forbidden, "Only the maker withdraws")
    public static let approvalDigestMismatch = ErrorCode("SR-3012", .conflict, "Approval content digest differs")
    public static let noEligibleApprovers = ErrorCode("SR-3013", .unprocessable, "No eligible approvers")
    /// An organization already has `ControlRule.maxActivePerOrganization` active rules.
    public static let controlRuleLimitReached = ErrorCode("SR-3014", .unprocessable, "Too many active control rules")
    /// A disabled control rule is ended: it is neither changed nor disabled again.
    public static let controlRuleDisabled = ErrorCode("SR-3015", .conflict, "Control rule disabled")

    // MARK: Holders (SR-4xxx)

    // Holder aliases and UK bank details (SR-4010…4019).
    /// A UK ledger's alias has bank details that are not a sort code of six ASCII digits and
    /// an account number of eight, or none at all.
    public static let bankDetailsFormat = ErrorCode("SR-4010", .unprocessable, "Bank details not in UK form")
    /// No row of the modulus weight table covers the sort code: Vocalink's "unknown" sort code.
    public static let unknownSortCode = ErrorCode("SR-4011", .unprocessable, "Unknown sort code")
    /// The account number fails its sort code's modulus check.
    public static let modulusCheckFailed = ErrorCode("SR-4012", .unprocessable, "Modulus check failed")
    /// A live alias already holds this sort code and account number.
    public static let bankDetailsTaken = ErrorCode("SR-4013", .conflict, "Bank details taken")
    /// A ledger's `bankDetails` setting is fixed when the ledger is created.
    public static let ledgerSettingFixed = ErrorCode("SR-4014", .unprocessable, "Ledger setting fixed")

    // Erasure (SR-4020…4029).
    /// The erasure record outside the database (beside the audit checkpoints) could not be
    /// written: the erasure was not done, and may be asked for again.
    public static let erasureRecordUnavailable = ErrorCode("SR-4020", .unavailable, "Erasure record unavailable")

    // MARK: Events (SR-5xxx)

    /// The pull API's cursor is older than the retention: events after it have been deleted,
    /// so the stream cannot continue from it without a gap. Start again from the oldest kept.
    public static let eventCursorExpired = ErrorCode("SR-5001", .gone, "Event cursor expired")

    // MARK: Service state (SR-9xxx)

    public static let serviceUnavailable = ErrorCode("SR-9001", .unavailable, "Service unavailable")
    /// Group commit took no more postings: its queue was full, or the server is shutting down.
    /// Nothing was posted; the same request may be sent again shortly.
    public static let postingQueueUnavailable = ErrorCode("SR-9002", .unavailable, "Posting queue unavailable")
    public static let idempotencyCapacity = ErrorCode("SR-9003", .unavailable, "Too many keyed requests in flight")
    public static let internalError = ErrorCode("SR-9999", .internalFailure, "Internal error")

    /// Every code above, in catalogue order: what the catalogue test checks the declarations,
    /// the uniqueness and the documentation against.
    public static let all: [ErrorCode] = [
        .malformedJSON, .invalidField, .unknownField, .payloadTooLarge, .routeNotFound, .methodNotAllowed, .invalidQuery, .organizationHeader,
        .unauthenticated, .invalidCredentials, .permissionDenied, .restrictedToken, .invalidUsername, .weakPassword,
        .usernameTaken, .passwordReused, .outOfScope, .groupNameTaken, .unknownGroup, .unknownPermission, .grantBeyondOwn,
        .builtInGroup, .loginThrottled, .secondFactorRequired, .invalidSecondFactor, .mfaAlreadyEnrolled, .mfaNotStarted,
        .identityNotFound, .invalidScope, .stepUpRequired, .secondFactorNotEnrolled, .sensitiveForClient,
        .invalidAmount, .legsDoNotAddUp, .invalidShare, .moreThanOneRemaining, .nothingRemaining, .noLegs, .tooManyLegs,
        .assetMismatch, .sameAccountBothSides, .insufficientFunds, .sendingNotAllowed, .receivingNotAllowed, .accountBlocked,
        .amountOverflow, .unknownAccount, .notPending, .unknownAsset, .alreadyReverted, .canceledNotRevertible,
        .pendingNotRevertible, .reversalNotRevertible, .invalidPendingExpiry, .legAllocation,
        .entityNotFound, .aliasTaken, .assetCodeTaken, .nonZeroBalance, .invalidMetadata, .invalidValue, .stillInUse,
        .reservedAlias, .unknownReference, .externalAccount,
        .idempotencyKeyReused, .idempotencyInFlight, .invalidIdempotencyKey, .batchRefused,
        .accountFrozen, .portfolioLocked, .ledgerFrozen,
        .transactionLimitExceeded, .dailyLimitExceeded, .makerCannotApprove, .alreadyDecided, .approvalClosed,
        .clientCannotApprove, .notAnApprover, .onlyMakerWithdraws, .approvalDigestMismatch, .noEligibleApprovers,
        .controlRuleLimitReached, .controlRuleDisabled,
        .bankDetailsFormat, .unknownSortCode, .modulusCheckFailed, .bankDetailsTaken, .ledgerSettingFixed,
        .erasureRecordUnavailable,
        .eventCursorExpired,
        .serviceUnavailable, .postingQueueUnavailable, .idempotencyCapacity, .internalError,
    ]
}

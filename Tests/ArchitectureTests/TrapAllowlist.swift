/// The trap sites `Sources/` may keep, each with the reason no value from outside can reach
/// it (`TrapSiteTests`). An entry names a file, the kind of site, and a piece of the line's
/// code; it covers every site of that kind on a line of that file containing the piece.
/// Prefer a checked operation to a new entry: an entry is a promise about the code around it.
enum TrapAllowlist {
    struct Entry: Sendable {
        let path: String
        let kind: TrapScanner.Kind
        let code: String
        let reason: String

        init(_ path: String, _ kind: TrapScanner.Kind, _ code: String, _ reason: String) {
            self.path = path
            self.kind = kind
            self.code = code
            self.reason = reason
        }

        func allows(_ finding: TrapScanner.Finding, in path: String) -> Bool {
            path == self.path && finding.kind == kind && finding.code.contains(code)
        }
    }

    static let entries: [Entry] = [
        Entry(
            "Sources/Audit/AuditChain.swift", .forceUnwrap, "AuditRecordHash.hash(of: unhashed)!",
            "the previous hash is the chain head's, always 64 hex digits (genesis or this function's own output); only a stored record read back can fail to hash, and the verifier handles that"
        ),
        Entry(
            "Sources/Bookkeeping/Posting/PostingEngine.swift", .forceUnwrap, "outcomes.map { $0! }",
            "every slot of outcomes is filled by the loop above before this line; a nil would be a bug in the engine, never an input"
        ),
        Entry(
            "Sources/Bookkeeping/Posting/PostingEngine.swift", .forceUnwrap, "wanted[id]!",
            "id iterates over wanted's own keys"
        ),
        Entry(
            "Sources/Bookkeeping/Posting/TransactionBody+SortedJSON.swift", .conversion, "Int64(percentage)",
            "a share's percentage was checked to be 1...100 when decoded; Int to Int64 is the same width"
        ),
        Entry(
            "Sources/Bookkeeping/Posting/TransactionBody+SortedJSON.swift", .conversion, "Int64(percentageOfPercentage)",
            "checked to be 1...100 when decoded; Int to Int64 is the same width"
        ),
        Entry(
            "Sources/StrongroomKernel/Base32.swift", .conversion, "UInt32(byte)",
            "UInt8 to UInt32 widens"
        ),
        Entry(
            "Sources/StrongroomKernel/Base32.swift", .conversion, "Int((buffer >>",
            "a value masked with & 31 fits Int; bits is 5...12 here, so the shift count is non-negative"
        ),
        Entry(
            "Sources/StrongroomKernel/Base32.swift", .conversion, "Int((buffer <<",
            "a value masked with & 31 fits Int; 5 - bits is 1...4 inside the if"
        ),
        Entry(
            "Sources/StrongroomKernel/Base32.swift", .conversion, "UInt32(value)",
            "value is an index into the 32-letter alphabet, 0...31"
        ),
        Entry(
            "Sources/StrongroomKernel/Base32.swift", .conversion, "UInt8((buffer >> UInt32(bits - 8)) & 0xff)",
            "masked with & 0xff it fits UInt8; bits is at least 8 inside the loop"
        ),
        Entry(
            "Sources/Identity/Bootstrap.swift", .forceUnwrap, "passwordAlphabet.randomElement(using: &rng)",
            "the alphabet is a non-empty constant"
        ),
        Entry(
            "Sources/Identity/ExternalTokenClaims.swift", .conversion, "return Int64(value)",
            "guarded just above: finite, non-negative and under 10^15, so the Double fits Int64"
        ),
        Entry(
            "Sources/Identity/PasswordHasher.swift", .trappingCall, "precondition(Self.allowedCosts.contains(cost)",
            "the cost is a constant or a configuration value checked against the same range when the configuration loads, before serving; a wrong one is a bug"
        ),
        Entry(
            "Sources/Identity/PasswordHasher.swift", .conversion, "UInt8(cost)",
            "cost is in allowedCosts (checked by the precondition above), well under 256"
        ),
        Entry(
            "Sources/Identity/TOTP.swift", .conversion, "Int(mac[mac.count - 1] & 0x0f)",
            "a byte masked to 0...15"
        ),
        Entry(
            "Sources/Identity/TOTP.swift", .conversion, "UInt32(mac[offset",
            "UInt8 to UInt32 widens; offset + 3 is at most 18, inside the 20-byte HMAC-SHA1"
        ),
        Entry(
            "Sources/Identity/TOTP.swift", .conversion, "| UInt32(mac[offset + 3])",
            "UInt8 to UInt32 widens"
        ),
        Entry(
            "Sources/Identity/TokenSettings.swift", .trappingCall, "precondition(Self.allowedAccessLifetimes.contains(accessLifetimeSeconds))",
            "the configuration loader checks the same range and refuses to start otherwise; a wrong value here is a bug"
        ),
        Entry(
            "Sources/LedgerCore/Amount.swift", .conversion, "Int128(byte - UInt8(ascii:",
            "byte is an ASCII digit (checked just above), so the difference is 0...9"
        ),
        Entry(
            "Sources/LedgerCore/Posting/LegResolver.swift", .conversion, "Int128(percentage * ofPercentage)",
            "both were checked to be 1...100, so the product is at most 10 000"
        ),
        Entry(
            "Sources/Secrets/MasterKey.swift", .tryBang, "try! MasterKey(bytes: SymmetricKey(size: .bits256)",
            "a fresh 256-bit key always has the 32 bytes the initializer checks for"
        ),
        Entry(
            "Sources/Storage/Migrations/Migration.swift", .forceUnwrap, "dialectStatements[dialect]!",
            "dialect iterates over the dictionary's own sorted keys"
        ),
        Entry(
            "Sources/Storage/Migrations/Migration.swift", .conversion, "UInt64(byte)",
            "UInt8 to UInt64 widens"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresColumnArray.swift", .conversion, "Int32(hasNull ? 1 : 0)",
            "a 0 or 1"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresColumnArray.swift", .conversion, "UInt8(flag ? 1 : 0)",
            "a 0 or 1"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresColumnArray.swift", .conversion, "Int32(rows)",
            "rows of one bulk statement, bounded by the stores' batch limits (at most a few thousand)"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresColumnArray.swift", .conversion, "Int32(text.utf8.count)",
            "a value's length is bounded by the 8 MiB request body limit, far under Int32's 2 GiB"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresColumnArray.swift", .conversion, "Int32(data.count)",
            "a value's length is bounded by the 8 MiB request body limit, far under Int32's 2 GiB"
        ),
        Entry(
            "Sources/Storage/Postgres/PostgresDatabase.swift", .conversion, "UInt64(1 << min(attempt, 6))",
            "at most 64, a positive Int"
        ),
        Entry(
            "Sources/Storage/SQL/SQLBulk.swift", .trappingCall, "precondition(size > 0)",
            "the chunk size is a constant of the stores, never an input"
        ),
        Entry(
            "Sources/Storage/SQL/SQLBulk.swift", .trappingCall, "precondition(columnCount > 0 && rowsPerStatement > 0)",
            "column counts and statement sizes are constants of the stores, never inputs"
        ),
        Entry(
            "Sources/Storage/SQL/SQLBulk.swift", .trappingCall, "precondition(rowValues.count == columnCount",
            "every row is built by the store code beside its column list; a mismatch is a bug that must not write a misaligned row"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteDatabase.swift", .conversion, "oldValue % UInt(connections.count))]",
            "a count is non-negative, and the remainder is under it, so both conversions fit"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .trappingCall, "precondition(statementCapacity >= 1)",
            "a constant of the database setup, never an input"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "return Int(current)",
            "SQLite's Int32 status value widens to Int"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "Int32(offset + 1)",
            "bind positions are bounded by SQLite's 32 766 variables and the stores' 1 000-bind statements"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "0..<Int32(prepared.columnCount)",
            "SQLite reported the column count as an Int32 in the first place"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "UInt32(SQLITE_PREPARE_PERSISTENT)",
            "a small positive flag constant"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "columnCount: Int(count)",
            "SQLite's Int32 column count widens to Int"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "UInt64(text.utf8.count)",
            "a count is non-negative, and Int fits UInt64 then; UInt8(SQLITE_UTF8) is the constant 1"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "UInt64(buffer.count)",
            "a count is non-negative"
        ),
        Entry(
            "Sources/Storage/SQLite/SQLiteHandle.swift", .conversion, "Int(sqlite_nio_sqlite3_column_bytes(statement, index))",
            "SQLite's Int32 byte count widens to Int"
        ),
        Entry(
            "Sources/Storage/Stores/IdempotencyRecords.swift", .conversion, "status: Int(try $0.int(",
            "a stored Int64 status widens to Int, the same width"
        ),
        Entry(
            "Sources/Storage/Stores/IdempotencyRecords.swift", .conversion, ".int(Int64(record.status))",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/LedgerRows.swift", .conversion, "Int(try int(",
            "a stored Int64 scale to Int, the same width; Amount checks its range"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/LedgerRows.swift", .conversion, ".int(Int64(scale))",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/LedgerRows.swift", .conversion, ".int(Int64(t.amount.scale))",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/LedgerRows.swift", .conversion, ".int(Int64(o.amount.scale))",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/SQLLedgerStore.swift", .conversion, "return Int(try await executor.queryOne(",
            "a COUNT(*) as Int64 to Int, the same width"
        ),
        Entry(
            "Sources/Storage/Stores/Ledger/SQLLedgerStore.swift", .conversion, ".int(Int64(s.available.scale))",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/Storage/Stores/SQLIdentityStore.swift", .conversion, "Int(try await executor.queryOne(",
            "a COUNT(*) as Int64 to Int, the same width"
        ),
        Entry(
            "Sources/StrongroomBench/BenchClient.swift", .conversion, "Int(response.status.code)",
            "an HTTP status code, three digits"
        ),
        Entry(
            "Sources/StrongroomBench/BookCheck.swift", .conversion, "Int128(text.replacingOccurrences(",
            "the failable parse of text, answered as the function's Optional result (the scanner cannot see that on this line)"
        ),
        Entry(
            "Sources/StrongroomBench/FloodSender.swift", .conversion, "Int64(Double(number) * 1e9 / rate)",
            "the login flood's rate is validated to be over 0 and at most 10^6 per second for a run of at most 86 400 s, so the nanoseconds fit Int64"
        ),
        Entry(
            "Sources/StrongroomBench/LoadRun.swift", .conversion, "Int64(plan.duration * 1000)",
            "the bench validates --duration to be over 0 and at most 86 400 s"
        ),
        Entry(
            "Sources/StrongroomBench/LoadRun.swift", .conversion, "Int64(plan.duration * 1e9)",
            "the bench validates --duration to be over 0 and at most 86 400 s: under 10^14 ns"
        ),
        Entry(
            "Sources/StrongroomBench/LoadRun.swift", .conversion, "UInt64(worker)",
            "a worker index, non-negative"
        ),
        Entry(
            "Sources/StrongroomBench/LoadRun.swift", .conversion, "Int64(Double(schedule.take()) * 1_000_000 / rate)",
            "--rate is validated to be over 0 and at most 10^6 per second, and the schedule ends with --duration (at most 86 400 s)"
        ),
        Entry(
            "Sources/StrongroomBench/LoadRun.swift", .conversion, "UInt64(max(0,",
            "max(0, …) is non-negative"
        ),
        Entry(
            "Sources/StrongroomBench/PairSampler.swift", .trappingCall, "precondition(count >= 2",
            "the bench validates --accounts to be at least 2 before sampling"
        ),
        Entry(
            "Sources/StrongroomBench/RetryStorm.swift", .conversion, "UInt64(index)",
            "a client index, non-negative"
        ),
        Entry(
            "Sources/StrongroomBench/RetryStorm.swift", .conversion, "Int128(plan.keys * (plan.keys + 1) / 2)",
            "--keys is validated to be at most 10 000; Int to Int128 widens"
        ),
        Entry(
            "Sources/StrongroomBench/TokenSource.swift", .forceUnwrap, "let pending = renewal!",
            "set just above when nil, inside the same actor turn (no await between)"
        ),
        Entry(
            "Sources/StrongroomKernel/Hex.swift", .conversion, "Int(byte >> 4)",
            "UInt8 to Int widens"
        ),
        Entry(
            "Sources/StrongroomKernel/Hex.swift", .conversion, "Int(byte & 0x0F)",
            "UInt8 to Int widens"
        ),
        Entry(
            "Sources/StrongroomKernel/IdentifierGenerator.swift", .conversion, "UInt64(max(0,",
            "max(0, …) is non-negative"
        ),
        Entry(
            "Sources/StrongroomKernel/RFC3339.swift", .conversion, "Int64(b[i] - 48)",
            "b[i] is an ASCII digit (checked on the line before), so the difference is 0...9; at most 4 or 6 digits are read"
        ),
        Entry(
            "Sources/StrongroomKernel/SortedJSONWriter.swift", .conversion, "$0[Int(byte >> 4)], $0[Int(byte & 0x0F)]",
            "UInt8 to Int widens"
        ),
        Entry(
            "Sources/StrongroomKernel/SortedJSONWriter.swift", .conversion, "UInt8(rest % 10)",
            "a remainder of a division by 10 of a non-negative value, 0...9"
        ),
        Entry(
            "Sources/StrongroomKernel/SystemClock.swift", .conversion, "Int64(ts.tv_sec)",
            "time_t and tv_nsec are Int on 64-bit Linux, the same width as Int64"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "Int64(try integer(",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "Int(TokenSettings.allowedAccessLifetimes.lowerBound)",
            "constant Int64 bounds of a few hours, the same width as Int"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "Int(lifetimes.lowerBound)",
            "constant Int64 bounds of a few hours, the same width as Int"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "Int(StepUpPolicy.allowedLifetimes.lowerBound)",
            "constant Int64 bounds of a quarter of an hour, the same width as Int"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "default: Int(StepUpPolicy.defaultLifetimeSeconds)",
            "a constant of five minutes in Int64, the same width as Int"
        ),
        Entry(
            "Sources/StrongroomServer/App/ConfigurationLoader.swift", .conversion, "maxLifetimeSeconds: Int64(maxLifetime)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomEdge/EdgeMiddleware.swift", .forceUnwrap, "= Self(",
            "an HTTP field name written as a literal: valid by inspection, and every test that starts the server touches it"
        ),
        Entry(
            "Sources/StrongroomServer/Identity/GuardedRouter.swift", .conversion, "Int(Problem.status(for: $0.kind).code)",
            "an HTTP status code, three digits"
        ),
        Entry(
            "Sources/StrongroomEdge/IPAddress.swift", .trappingCall, "precondition(bytes.count == 4 || bytes.count == 16)",
            "the bytes come from the socket address of an accepted connection or a parsed address, always 4 or 16 long"
        ),
        Entry(
            "Sources/StrongroomEdge/IPAddress.swift", .conversion, "Int(INET6_ADDRSTRLEN)",
            "the constant 46"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/IdempotencyGate.swift", .conversion, "UInt64(part.count)",
            "a count is non-negative"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/IdempotencyGate.swift", .forceUnwrap, "= Self(",
            "an HTTP field name written as a literal: valid by inspection, and every test that starts the server touches it"
        ),
        Entry(
            "Sources/StrongroomServer/Audit/RequestAudit.swift", .conversion, "Int64(status)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomEdge/RequestID.swift", .conversion, "Int(value % 36)",
            "a remainder of a division by 36 of an unsigned value, 0...35"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, "Int(Problem.status(for: error.kind).code)",
            "an HTTP status code, three digits"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, "Int64(created)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, "Int64(failed)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, "Int64(index)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, "Int64(status)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/TransactionBatch.swift", .conversion, ".number(Int64(",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Audit/AuditOutbox.swift", .conversion, "Int64(state.events.count)",
            "Int is 64 bits on every platform Strongroom builds for, so Int to Int64 is the same width and cannot trap"
        ),
        Entry(
            "Sources/StrongroomServer/Ledger/GroupCommitter.swift", .trappingCall, "precondition(settings.maxBatch >= 1",
            "the settings are constants or configuration checked by the loader before serving"
        ),
    ]
}

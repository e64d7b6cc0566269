import Controls
import StrongroomKernel

/// Where each freeze or lock is stored: three nullable columns on its entity's table (who,
/// when, why), all set or all null (migration 7, `ControlStateSchema`). They are read with
/// the entity and, as flags, with every balance row the posting engine locks; only the
/// control routes write them, never an entity's insert or PATCH.
enum ControlColumns {
    static func table(_ subject: ControlSubject) -> String {
        switch subject {
        case .account: "ledger_accounts"
        case .portfolio: "ledger_portfolios"
        case .ledger: "ledger_ledgers"
        }
    }

    static func prefix(_ subject: ControlSubject) -> String {
        subject == .portfolio ? "locked" : "frozen"
    }

    static func names(_ subject: ControlSubject) -> [String] {
        let prefix = prefix(subject)
        return ["\(prefix)_reason", "\(prefix)_actor", "\(prefix)_at"]
    }
}

extension SQLRow {
    /// The control record stored in `subject`'s columns, or nil when it does not hold.
    func controlRecord(_ subject: ControlSubject) throws -> ControlRecord? {
        let prefix = ControlColumns.prefix(subject)
        guard !(try isNull("\(prefix)_at")) else { return nil }
        return ControlRecord(
            reason: try text("\(prefix)_reason"), actor: try text("\(prefix)_actor"), createdAt: try timestamp("\(prefix)_at")
        )
    }
}

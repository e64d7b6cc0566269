import StrongroomKernel

extension StrongroomError {
    /// 422 `SR-2025` for one field of a control rule that breaks its rule, as every entity
    /// field is answered.
    static func controlRuleField(_ field: String, _ message: String) -> StrongroomError {
        StrongroomError(.invalidValue, "Field '\(field)' \(message).", fields: [.init(field: field, message: message)])
    }
}

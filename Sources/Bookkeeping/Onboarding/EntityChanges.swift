import StrongroomKernel

/// The fields every entity's PATCH body may carry, so that `Onboarding` applies them in one
/// place whatever the entity.
public protocol EntityChanges: Sendable {
    var status: EntityStatus? { get }
    var metadata: Metadata? { get }
}

/// A PATCH body that may also rename the entity.
public protocol NamedChanges: EntityChanges {
    var name: String? { get }
}

extension OrganizationChanges: EntityChanges {}
extension NamedEntityChanges: NamedChanges {}
extension LedgerChanges: NamedChanges {}
extension PortfolioInput: NamedChanges {}
// An account's name is optional, so its rename is the account's own (see `updateAccount`).
extension AccountChanges: EntityChanges {}

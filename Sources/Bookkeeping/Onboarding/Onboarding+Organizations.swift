import Foundation
import LedgerCore
import StrongroomKernel

extension Onboarding {
    public func createOrganization(_ input: NewOrganization, store: any LedgerStore) async throws -> Organization {
        try input.validate()
        if let parent = input.parentOrganizationID { try await requireReference(Organization.self, parent, in: .root, field: "parentOrganizationId", store) }
        let now = clock.now()
        let organization = Organization(
            id: newID(), parentOrganizationID: input.parentOrganizationID.map { $0.lowercased() }, legalName: input.legalName,
            doingBusinessAs: input.doingBusinessAs, legalDocument: input.legalDocument, address: input.address,
            status: input.status ?? .active, metadata: input.metadata ?? Metadata(), createdAt: now, updatedAt: now
        )
        try await store.insert(organization)
        return organization
    }

    public func updateOrganization(_ id: String, _ changes: OrganizationChanges, store: any LedgerStore) async throws -> Organization {
        try changes.validate()
        var organization = try await organization(id, store: store)
        if let parent = changes.parentOrganizationID {
            guard parent.lowercased() != id else { throw StrongroomError.invalidValue("parentOrganizationId", "must not be the organization itself") }
            try await requireReference(Organization.self, parent, in: .root, field: "parentOrganizationId", store)
            organization.parentOrganizationID = parent.lowercased()
        }
        if let value = changes.legalName { organization.legalName = value }
        if let value = changes.doingBusinessAs { organization.doingBusinessAs = value }
        if let value = changes.address { organization.address = value }
        return try await save(organization, changes, store: store)
    }

    public func deleteOrganization(_ id: String, store: any LedgerStore) async throws {
        _ = try await organization(id, store: store)
        if try await store.hasLiveChildren(.ledger, linkedBy: .organization, to: id) {
            throw StrongroomError.stillInUse("The organization still has ledgers.")
        }
        if try await store.hasLiveChildren(.organization, linkedBy: .parentOrganization, to: id) {
            throw StrongroomError.stillInUse("The organization still has child organizations.")
        }
        try await store.softDelete(Organization.self, id: id, at: clock.now())
    }
}

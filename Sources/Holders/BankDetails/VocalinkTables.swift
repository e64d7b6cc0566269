/// The modulus tables compiled into the binary: Vocalink's files of specification 9.10,
/// byte for byte (their sources and sha256 are in `Resources/README.md`). They are the
/// default; an operator may supply newer files.
public enum VocalinkTables {
    /// The version of Vocalink's "Validating account numbers" the tables belong to.
    public static let specificationVersion = "9.10"
    /// The day the weight table is valid from.
    public static let validFrom = "2026-10-17"

    /// `valacdos.txt`, the weight table.
    public static var weightTable: [UInt8] { PackageResources.valacdos_txt }
    /// `scsubtab.txt`, the sort code substitution table.
    public static var substitutionTable: [UInt8] { PackageResources.scsubtab_txt }
}

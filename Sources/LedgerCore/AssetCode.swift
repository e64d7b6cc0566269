/// An asset's code: an upper-case letter, then 1 to 9 upper-case letters or digits (`USD`,
/// `BTC`, `XAU`). Here, with the amounts, so that the ledger's entities and the control rules
/// that name an asset check it by one rule.
public enum AssetCode {
    public static func isValid(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (2...10).contains(bytes.count), (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

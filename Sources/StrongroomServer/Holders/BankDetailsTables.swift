import Crypto
import Foundation
import Holders
import Logging
import StrongroomEdge
import StrongroomKernel

/// The modulus tables a UK sort code and account number are checked against, loaded once at
/// start: Vocalink's, compiled in (`VocalinkTables`), unless the operator points at newer
/// files (`modulusWeightsFile` and `modulusSubstitutionsFile`, both or neither), as Vocalink
/// publishes a new weight table a few times a year. A file that cannot be read or does not
/// parse stops the start, naming the file and the line: a server must never check bank
/// details against half a table. The holder aliases of a ledger with UK bank details use it
/// (issue 29).
enum BankDetailsTables {
    static func load(weightsFile: String?, substitutionsFile: String?, logger: Logger) throws -> ModulusChecker {
        guard let weightsFile, let substitutionsFile else {
            if let stray = weightsFile ?? substitutionsFile {
                throw ConfigurationError(
                    "modulusWeightsFile and modulusSubstitutionsFile go together; only one is set (\(stray))"
                )
            }
            let checker = try parse(VocalinkTables.weightTable, VocalinkTables.substitutionTable, origin: "the compiled-in tables")
            logger.info(
                "bank details tables",
                metadata: ["source": "compiled in", "vocalink_version": "\(VocalinkTables.specificationVersion)", "valid_from": "\(VocalinkTables.validFrom)"]
            )
            return checker
        }
        let weights = try read(weightsFile, setting: "modulusWeightsFile")
        let substitutions = try read(substitutionsFile, setting: "modulusSubstitutionsFile")
        let checker = try parse(weights, substitutions, origin: "\(weightsFile) and \(substitutionsFile)")
        logger.info(
            "bank details tables",
            metadata: [
                "source": "files", "weights_sha256": "\(Hex.string(SHA256.hash(data: weights)))",
                "substitutions_sha256": "\(Hex.string(SHA256.hash(data: substitutions)))",
            ]
        )
        return checker
    }

    private static func read(_ path: String, setting: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(setting): cannot read \(path)")
        }
        return Array(data)
    }

    private static func parse(_ weights: [UInt8], _ substitutions: [UInt8], origin: String) throws -> ModulusChecker {
        do {
            return try ModulusChecker(weightTable: weights, substitutionTable: substitutions)
        } catch {
            throw ConfigurationError("the modulus tables in \(origin) do not parse: \(error)")
        }
    }
}

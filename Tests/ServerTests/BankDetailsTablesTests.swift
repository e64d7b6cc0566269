import Foundation
import Holders
import StrongroomEdge
import StrongroomKernel
import StrongroomTestSupport
import Testing

@testable import StrongroomServer

/// The UK modulus tables are loaded at start: the compiled-in ones by default, an operator's
/// newer files when both are named, and a file that does not parse stops the start.
@Suite("Bank details tables at start")
struct BankDetailsTablesTests {
    @Test func theCompiledInTablesAreTheDefault() async throws {
        try await TestServer.with(.sqlite) { _, prepared, _ in
            #expect(prepared.bankDetails.check(sortCode: "089999", accountNumber: "66374958") == .valid)
            #expect(prepared.bankDetails.check(sortCode: "089999", accountNumber: "66374959") != .valid)
        }
    }

    @Test func theSettingsAreReadFromTheEnvironment() async throws {
        let config = try await ConfigurationLoader.load(flags: [:], environment: [
            "STRONGROOM_MODULUS_WEIGHTS_FILE": "/etc/strongroom/valacdos.txt",
            "STRONGROOM_MODULUS_SUBSTITUTIONS_FILE": "/etc/strongroom/scsubtab.txt",
        ])
        #expect(config.modulusWeightsFile == "/etc/strongroom/valacdos.txt")
        #expect(config.modulusSubstitutionsFile == "/etc/strongroom/scsubtab.txt")
    }

    @Test func anOperatorsFilesAreReadAndABrokenOneStopsTheStart() async throws {
        let directory = try ServerProcessTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = directory + "/valacdos.txt", substitutions = directory + "/scsubtab.txt"
        try Data(VocalinkTables.weightTable).write(to: URL(fileURLWithPath: weights))
        try Data(VocalinkTables.substitutionTable).write(to: URL(fileURLWithPath: substitutions))
        try await TestServer.with(.sqlite, configure: { config, _ in
            config.modulusWeightsFile = weights
            config.modulusSubstitutionsFile = substitutions
        }) { _, prepared, _ in
            #expect(prepared.bankDetails.check(sortCode: "089999", accountNumber: "66374958") == .valid)
        }

        // An unknown method on the third line: no start, and the error says where.
        var lines = String(decoding: VocalinkTables.weightTable, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[2].contains("DBLAL"))
        lines[2] = lines[2].replacingOccurrences(of: "DBLAL", with: "DBLXX")
        try lines.joined(separator: "\r\n").write(toFile: weights, atomically: true, encoding: .utf8)
        let broken = await #expect(throws: ConfigurationError.self) {
            try await TestServer.with(.sqlite, configure: { config, _ in
                config.modulusWeightsFile = weights
                config.modulusSubstitutionsFile = substitutions
            }) { _, _, _ in }
        }
        #expect(broken.map { "\($0)" }?.contains("line 3") == true, "\(String(describing: broken))")

        // One file without the other is a mistake, not half a table.
        await #expect(throws: ConfigurationError.self) {
            try await TestServer.with(.sqlite, configure: { config, _ in config.modulusWeightsFile = weights }) { _, _, _ in }
        }
        await #expect(throws: ConfigurationError.self) {
            try await TestServer.with(.sqlite, configure: { config, _ in
                config.modulusWeightsFile = directory + "/missing.txt"
                config.modulusSubstitutionsFile = substitutions
            }) { _, _, _ in }
        }
    }
}

import ArgumentParser
import Foundation
import Logging
import StrongroomServer

/// `strongroom audit …`: verify, export and checkpoint the audit trail without a server.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, export or checkpoint the audit trail.",
        subcommands: [Verify.self, Export.self, Checkpoint.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-derive every record's hash and check the chain against the signed checkpoints.",
            discussion: "Exit status: 0 when the chain is valid, 1 when it is broken (the first bad seq is printed), 2 when it cannot run."
        )
        @OptionGroup var options: ServerOptions
        @Option(help: "The checkpoint verifier key (note format), or a file holding it; default: the key stored beside the checkpoints.")
        var checkpointKey: String?

        func run() async throws {
            let configuration: ServerConfiguration
            let logger: Logger
            do {
                (configuration, logger) = try await options.loadQuietly()
            } catch {
                print("cannot run: \(error)")
                throw ExitCode(2)
            }
            let report = await AuditCommands.verify(
                configuration, checkpointDirectory: nil, checkpointKey: checkpointKey, logger: logger
            )
            for line in report.lines { print(line) }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the audit records as JSON lines, for a SIEM.")
        @OptionGroup var options: ServerOptions
        @Option(help: "Only records after this seq.") var afterSeq: Int64 = 0
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let (configuration, logger) = try await options.loadQuietly()
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let opened = FileHandle(forWritingAtPath: output)
                else { throw Refusal("cannot write \(output)") }
                handle = opened
            } else {
                handle = FileHandle.standardOutput
            }
            do {
                let count = try await AuditCommands.export(configuration, afterSeq: afterSeq, to: handle, logger: logger)
                if output != nil { print("exported \(count) records") }
            } catch {
                throw Refusal("export failed: \(error)")
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a checkpoint of the chain's head now.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let (configuration, logger) = try await options.loadQuietly()
            do {
                if let written = try await AuditCommands.checkpoint(configuration, logger: logger) {
                    print("checkpoint of \(written.size) records written to \(written.directory)")
                } else {
                    print("the latest checkpoint already covers the head")
                }
            } catch {
                throw Refusal("checkpoint refused: \(error)")
            }
        }
    }
}

extension ServerOptions {
    /// As `load()`, logging only warnings unless a level is given: these commands' output is
    /// what they print.
    func loadQuietly() async throws -> (ServerConfiguration, Logger) {
        var options = self
        if options.logLevel == nil { options.logLevel = "warning" }
        return try await options.load()
    }
}

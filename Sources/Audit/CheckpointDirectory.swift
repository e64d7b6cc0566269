import Foundation

/// The checkpoint directory: one signed note per file, `<size, 20 digits>.checkpoint`, and
/// the verifier key beside them in `checkpoint.vkey`. Files are written whole or not at all
/// (a temporary file, then a rename).
public struct CheckpointDirectory: Sendable {
    public static let verifierKeyFile = "checkpoint.vkey"
    static let suffix = ".checkpoint"

    public let path: String

    public init(path: String) { self.path = path }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The verifier key stored beside the checkpoints, if any.
    public func storedVerifierKey() -> String? {
        guard let data = FileManager.default.contents(atPath: file(Self.verifierKeyFile)) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates the directory (0700) and writes the verifier key, or checks that the one
    /// already there is this key: checkpoints of two keys never share a directory.
    public func prepare(verifierKey: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let stored = storedVerifierKey() {
            guard stored == verifierKey else {
                throw AuditError.checkpointInconsistent("\(path) holds checkpoints of another key (\(Self.verifierKeyFile) differs)")
            }
            return
        }
        try write(Data((verifierKey + "\n").utf8), to: Self.verifierKeyFile)
    }

    /// Every checkpoint file's name and text, oldest (smallest) first.
    public func notes() throws -> [(name: String, text: String)] {
        guard exists else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix(Self.suffix) }
            .sorted()
            .map { name in
                guard let data = FileManager.default.contents(atPath: file(name)) else {
                    throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: file(name)])
                }
                return (name, String(decoding: data, as: UTF8.self))
            }
    }

    /// Every checkpoint, opened with `verifier`; a file that does not open is the chain's
    /// first problem (someone wrote or edited a checkpoint), reported as an invalid
    /// verification naming the file.
    public func checkpoints(verifier: CheckpointVerifier) throws -> Result<[AuditCheckpoint], AuditVerificationFailure> {
        var opened: [AuditCheckpoint] = []
        for note in try notes() {
            guard let checkpoint = verifier.open(note.text), note.name == Self.fileName(size: checkpoint.size) else {
                let claimed = Int64(note.name.dropLast(Self.suffix.count)) ?? 0
                return .failure(AuditVerificationFailure(
                    firstBadSeq: claimed, reason: "checkpoint \(note.name) does not verify with the pinned key"
                ))
            }
            opened.append(checkpoint)
        }
        return .success(opened)
    }

    /// Writes one signed checkpoint note for `size` records.
    public func write(note: String, size: Int64) throws {
        try write(Data(note.utf8), to: Self.fileName(size: size))
    }

    static func fileName(size: Int64) -> String {
        let digits = String(size)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    private func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    private func write(_ data: Data, to name: String) throws {
        let temporary = file(".\(name).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        if rename(temporary, file(name)) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}

/// A verification that failed before the chain was read (a checkpoint that does not open).
public struct AuditVerificationFailure: Error, Sendable, Equatable {
    public let firstBadSeq: Int64
    public let reason: String

    public var verification: AuditVerification { .invalid(firstBadSeq: firstBadSeq, reason: reason) }
}

import Foundation
import Secrets
import StrongroomEdge
import StrongroomKernel

/// The data directory (mode 0700) and the two secrets the service may write into it: the
/// development master key and the one-time administrator password. Both are written
/// atomically with mode 0600 from the first byte.
struct DataDirectory: Sendable {
    static let masterKeyFile = "master.key"
    static let initialPasswordFile = "initial-admin-password"

    let path: String

    func create() throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ConfigurationError("cannot create the data directory \(path)")
        }
    }

    /// The development master key: read from the data directory, or generated into it.
    var masterKeyPath: String { (path as NSString).appendingPathComponent(Self.masterKeyFile) }

    func developmentMasterKey() throws -> MasterKey {
        let file = masterKeyPath
        if let data = FileManager.default.contents(atPath: file) {
            do {
                return try MasterKey(text: String(decoding: data, as: UTF8.self))
            } catch {
                throw ConfigurationError("\(file) does not hold a valid master key: \(error)")
            }
        }
        let key = MasterKey.generate()
        try writeSecret(key.encoded.revealed + "\n", to: file)
        return key
    }

    func writeInitialPassword(_ password: SecretValue) throws -> String {
        let file = (path as NSString).appendingPathComponent(Self.initialPasswordFile)
        try writeSecret(password.revealed + "\n", to: file)
        return file
    }

    /// Writes to a fresh temporary file created 0600, then renames it over the target, so
    /// the secret is never readable by others, not even for a moment, and never half-written.
    private func writeSecret(_ text: String, to file: String) throws {
        let temporary = file + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigurationError("cannot write \(file)") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw ConfigurationError("cannot write \(file)")
        }
    }
}

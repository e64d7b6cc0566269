import Foundation
import Holders
import StrongroomEdge
import StrongroomKernel
import Synchronization

/// The erasure record on disk: `holder-erasures.log` in the audit checkpoint directory, one
/// authenticated line per erasure (`HolderErasureEntry`, `HolderErasureRecord`), appended
/// and never rewritten. It lives outside the database on purpose: a database restored from
/// a copy taken before an erasure still holds the holder's wrapped data key, and this file,
/// kept and backed up apart from the database, is what erases it again at the next start
/// (`HolderErasureReplay`).
///
/// An erasure is appended and fsynced before its unit of work commits, so an erasure the
/// API acknowledged is never missing here. When the commit then fails, the line stays: the
/// next start erases that holder anyway, early rather than never, which is what the holder
/// asked for.
final class HolderErasureLog: Sendable {
    static let fileName = "holder-erasures.log"

    let directory: String
    private let key: HolderErasureKey
    /// One append at a time in this process; `flock` orders appends of other processes
    /// sharing the directory.
    private let appending = Mutex(())

    var path: String { (directory as NSString).appendingPathComponent(Self.fileName) }

    init(directory: String, key: HolderErasureKey) {
        self.directory = directory
        self.key = key
    }

    /// Appends `entry`'s line and fsyncs it (and the directory, when the file is new). A
    /// line a crash cut short at the end of the file is cut off first: it was never
    /// acknowledged, and a line appended after it would not parse. Blocks: run it on a
    /// blocking executor.
    func append(_ entry: HolderErasureEntry) throws {
        let line = Array(entry.line(signedWith: key).utf8)
        try appending.withLock { _ in
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw Self.unavailable("create its directory")
            }
            let isNew = !FileManager.default.fileExists(atPath: path)
            let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw Self.unavailable("open") }
            // Closing the descriptor also releases the lock.
            defer { close(fd) }
            guard flock(fd, LOCK_EX) == 0 else { throw Self.unavailable("lock") }
            try cutTornTail(fd)
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(fd) == 0 else { throw Self.unavailable("write") }
            if isNew { try syncDirectory() }
        }
    }

    /// The record as it stands; empty when there is no file yet. A record that does not
    /// verify throws `HolderErasureRecordError`.
    func read() throws -> HolderErasureRecord {
        guard FileManager.default.fileExists(atPath: path) else { return HolderErasureRecord() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigurationError("cannot open the erasure record \(path)") }
        defer { close(fd) }
        // Shared: an append in another process finishes its line before this reads.
        guard flock(fd, LOCK_SH) == 0, let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read the erasure record \(path)")
        }
        return try HolderErasureRecord(contents: Array(data), key: key)
    }

    /// Cuts the file back to its last newline, when it does not end in one.
    private func cutTornTail(_ fd: Int32) throws {
        let size = Int(clamping: lseek(fd, 0, SEEK_END))
        guard size > 0 else { return }
        let window = min(size, HolderErasureRecord.maxLineBytes + 1)
        var tail = [UInt8](repeating: 0, count: window)
        let read = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(clamping: size - window)) }
        guard read == window else { throw Self.unavailable("read") }
        guard tail.last != UInt8(ascii: "\n") else { return }
        let kept: Int
        if let newline = tail.lastIndex(of: UInt8(ascii: "\n")) {
            kept = size - window + newline + 1
        } else if size == window {
            kept = 0
        } else {
            // More unterminated bytes than any line: not a torn append; the next start says so.
            throw Self.unavailable("find its last line")
        }
        guard ftruncate(fd, off_t(clamping: kept)) == 0, fsync(fd) == 0 else { throw Self.unavailable("cut a torn line") }
    }

    private func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.unavailable("open its directory") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Self.unavailable("sync its directory") }
    }

    /// The erasure was not recorded, so it was not done: the caller may send it again. The
    /// step that failed is named; the file's path is not (it is the server's business).
    private static func unavailable(_ step: String) -> StrongroomError {
        StrongroomError(.erasureRecordUnavailable, "The erasure record could not \(step); nothing was erased, and the request may be sent again.")
    }
}

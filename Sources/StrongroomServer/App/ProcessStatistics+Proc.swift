import Foundation

extension ProcessStatistics {
    /// The longest a `/proc` file read here may be: `/proc/stat` grows with the CPUs (a few
    /// KiB on a large machine); nothing read here comes near this.
    static let maxProcFileBytes = 1 << 20
    /// The most `/proc/self/fd` entries counted; past it the count stops there.
    static let maxCountedDescriptors = 1 << 20

    /// This process's figures now, from `/proc`; every figure nil where there is none.
    static func current() -> ProcessStatistics {
        ProcessStatistics(
            stat: readProcFile("/proc/self/stat"), limits: readProcFile("/proc/self/limits"), systemStat: readProcFile("/proc/stat"),
            openFileDescriptors: countDirectoryEntries("/proc/self/fd"),
            ticksPerSecond: Int32(exactly: _SC_CLK_TCK).map(sysconf) ?? -1, pageBytes: Int32(exactly: _SC_PAGESIZE).map(sysconf) ?? -1
        )
    }

    /// A `/proc` file's text. Read until its end rather than by its size, which `/proc`
    /// reports as 0.
    static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < maxProcFileBytes {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many entries a directory has, `.` and `..` aside (for `/proc/self/fd`, the open
    /// descriptors, the one reading the directory among them, as Prometheus's collector counts).
    ///
    /// Only the first bytes of each name are read, through a pointer: a record is only as long
    /// as its name (`d_reclen`), so copying the whole `dirent` (`entry.pointee`, with its
    /// declared 256-byte name) read past the last record of the directory's buffer, and once,
    /// in the full test suite, past the end of a mapped page (a segmentation fault in the
    /// sampler). The name is NUL-terminated, so each byte read here exists.
    static func countDirectoryEntries(_ path: String) -> Int? {
        guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name), let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while count < maxCountedDescriptors, let entry = readdir(directory) {
            let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
            let isDot = name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            if !isDot { count += 1 }
        }
        return count
    }
}

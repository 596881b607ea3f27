import Foundation

/// Reading a small input file (a plan, a manifest) whole, refusing anything but a regular file.
///
/// The file is opened without blocking and judged by `fstat` on what was opened, before any
/// read: a folder gets "is a folder, not a …", and a FIFO, socket or device (which would block
/// the read, or never end) gets "is not a regular file" instead of a hang.
public enum InputFile {
    /// The bytes of the regular file at `path`. `kind` names what it should be ("plan file").
    /// Every failure is a one-line `MapbookError` naming `path`.
    public static func contents(of path: String, kind: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw MapbookError(errno == ENOENT ? "file not found" : "cannot open the \(kind): \(String(cString: strerror(errno)))", path: path)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MapbookError("cannot open the \(kind): \(String(cString: strerror(errno)))", path: path)
        }
        if let why = problem(mode: info.st_mode, kind: kind) { throw MapbookError(why, path: path) }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw MapbookError("cannot read the \(kind): \(error.localizedDescription)", path: path)
        }
    }

    /// The UTF-8 text of the regular file at `path`, read as `contents(of:kind:)` does. Text
    /// that is not UTF-8 is refused with the place of the first bad byte:
    /// `plan.yaml:3:7: the plan file is not UTF-8 text (byte 0xFF …)`.
    public static func text(of path: String, kind: String) throws -> String {
        let data = try contents(of: path, kind: kind)
        if let text = String(data: data, encoding: .utf8) { return text }
        let problem = "the \(kind) is not UTF-8 text"
        guard let bad = firstInvalidUTF8(data) else { throw MapbookError(problem, path: path) }
        throw MapbookError("\(problem) (byte 0x\(String(bad.byte, radix: 16, uppercase: true)) does not start a UTF-8 character)",
                           path: "\(path):\(bad.line):\(bad.column)")
    }

    /// The first byte of `data` that does not start a well-formed UTF-8 character, with its line
    /// and column (1-based; columns count the characters before it on its line); nil when the
    /// fault is subtler (an overlong form or a surrogate).
    public static func firstInvalidUTF8(_ data: Data) -> (byte: UInt8, line: Int, column: Int)? {
        let bytes = [UInt8](data)
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00..<0x80: length = 1
            case 0xC2..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF5: length = 4
            default: return (b, line, column)
            }
            guard i + length <= bytes.count else { return (b, line, column) }
            if bytes[(i + 1)..<(i + length)].contains(where: { $0 & 0xC0 != 0x80 }) { return (b, line, column) }
            if b == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return nil
    }

    /// Why a file of type `mode` (from `stat`) cannot be read as a `kind`, or nil for a regular file.
    public static func problem(mode: mode_t, kind: String) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a folder, not a \(kind)"
        case S_IFIFO: return "is not a regular file (a FIFO or pipe), so not a \(kind)"
        case S_IFCHR: return "is not a regular file (a character device), so not a \(kind)"
        case S_IFBLK: return "is not a regular file (a block device), so not a \(kind)"
        case S_IFSOCK: return "is not a regular file (a socket), so not a \(kind)"
        default: return "is not a regular file, so not a \(kind)"
        }
    }

    /// Refuses `path` unless it is a regular file (or a symbolic link to one), before it is
    /// opened: a missing path, a folder, a FIFO, a socket or a device. `kind` names the input in
    /// the message ("input file").
    public static func requireRegular(_ path: String, what kind: String = "file") throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw MapbookError(errno == ENOENT ? "file not found" : "cannot read the \(kind): \(String(cString: strerror(errno)))", path: path)
        }
        if let why = problem(mode: info.st_mode, kind: kind) { throw MapbookError(why, path: path) }
    }
}

import Foundation

/// Checks on a path before it is opened as an input.
public enum InputFile {
    /// Refuses `path` unless it is a regular file (or a symbolic link to one): a missing path,
    /// a folder, a FIFO, a socket or a device (`/dev/zero` would be read forever, a FIFO would
    /// block until someone writes to it). `what` names the input in the message ("map file").
    public static func requireRegular(_ path: String, what: String = "file") throws {
        var s = stat()
        guard stat(path, &s) == 0 else {
            let why = errno == ENOENT ? "no such file" : "cannot read the \(what): \(String(cString: strerror(errno)))"
            throw MapbookError(why, path: path)
        }
        switch s.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw MapbookError("is a folder, not a \(what)", path: path)
        case S_IFIFO: throw MapbookError("is a pipe (FIFO), not a \(what); give a regular file", path: path)
        case S_IFCHR, S_IFBLK: throw MapbookError("is a device, not a \(what); give a regular file", path: path)
        case S_IFSOCK: throw MapbookError("is a socket, not a \(what); give a regular file", path: path)
        default: throw MapbookError("is not a regular file; give a \(what)", path: path)
        }
    }
}

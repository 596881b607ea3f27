import Foundation

/// An exclusive claim on an output folder for one run, so two runs into the same folder at
/// once cannot interleave their files: the second is refused with one line naming the first.
///
/// The claim is an advisory `flock` on `<folder>/.mapbook.lock`, released when the lock is
/// released or the process ends (however it ends: a killed run leaves no stale claim). The
/// file holds the owner's process id and host, for the refusal's message.
public final class OutputLock {
    /// The locked folder.
    public let folder: String
    private var descriptor: Int32

    /// Claims `folder` (created when missing), or throws when another run holds it.
    public init(folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        catch { throw MapbookError("cannot create the output folder: \(error.localizedDescription)", path: folder) }
        self.folder = folder
        let path = folder + "/.mapbook.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MapbookError("cannot write into the output folder: \(String(cString: strerror(errno)))", path: folder) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let owner = Self.owner(fd)
            close(fd)
            throw MapbookError("another mapbook run\(owner.map { " (\($0))" } ?? "") is writing into this folder; wait for it to finish or choose another output folder", path: folder)
        }
        descriptor = fd
        let note = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName)\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    static func owner(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Gives the folder up (also done when the lock is deallocated).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

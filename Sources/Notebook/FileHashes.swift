import Foundation
import MapbookCore

/// SHA-256 of input files, remembered between runs by path, size and modification time, so an
/// unchanged plan on large maps does not re-read gigabytes to find its cache entries.
final class FileHashes: @unchecked Sendable {
    struct Entry: Codable { var size: Int64; var modified: Double; var sha256: String }

    private let file: String
    private var entries: [String: Entry]
    private var changed = false
    private let lock = NSLock()   // inputs are hashed in parallel

    /// Remembered hashes kept in `file` (created when missing).
    init(file: String) {
        self.file = file
        entries = (try? CanonicalJSON.decode([String: Entry].self, from: Data(contentsOf: URL(fileURLWithPath: file)))) ?? [:]
    }

    /// The hash of the file at `path` (absolute), and its size.
    func hash(_ path: String) throws -> (sha256: String, bytes: Int64) {
        // A FIFO or device would be hashed forever: refuse it before opening.
        try InputFile.requireRegular(path, what: "input file")
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) }
        catch { throw MapbookError("cannot read the file (missing or no permission)", path: path) }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        lock.lock()
        let known = entries[path]
        lock.unlock()
        if let e = known, e.size == size, e.modified == modified { return (e.sha256, size) }
        let digest = try SHA256.hex(fileAt: path)
        lock.lock()
        entries[path] = Entry(size: size, modified: modified, sha256: digest)
        changed = true
        lock.unlock()
        return (digest, size)
    }

    /// Writes the remembered hashes back (atomically), when any were added.
    func save() {
        guard changed, let data = try? CanonicalJSON.encode(entries) else { return }
        try? AtomicFile.write(data, to: file)
    }
}

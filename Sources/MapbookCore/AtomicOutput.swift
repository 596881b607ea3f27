import Foundation

/// Writes files so that a reader never sees a half-written one: the bytes go to a temporary
/// file beside the destination, which is renamed over it only once complete.
public enum AtomicFile {
    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { handle in try handle.write(contentsOf: data) }
    }

    /// Calls `body` with a handle on a temporary file, then renames it to `path`.
    /// If `body` throws, the temporary file is removed and `path` is untouched.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: tmp, contents: nil) else {
            throw MapbookError("cannot create a file in \(dir) (missing folder or no permission)", path: path)
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(tmp, path) == 0 else {
                throw MapbookError("cannot rename temporary file into place: \(String(cString: strerror(errno)))", path: path)
            }
        } catch {
            unlink(tmp)
            if let e = error as? MapbookError { throw e }
            throw MapbookError("write failed: \(error.localizedDescription)", path: path)
        }
    }
}

/// A set of output files that appear together or not at all.
///
/// Files are first written into a hidden staging folder inside the output folder; `commit()`
/// renames each into place. If the work fails before `commit()`, `discard()` removes the
/// staging folder, and the output folder too when this run created it, so a failed command
/// leaves no partial output.
public final class OutputBundle: @unchecked Sendable {
    /// The folder the files end up in.
    public let directory: String
    private let staging: String
    private let createdDirectory: Bool
    private var names: [String] = []
    private let lock = NSLock()   // files may be staged from several threads at once
    private var finished = false

    /// Prepares `directory` (creating it if needed). `inputs` are the paths this command reads
    /// and `outputs` the names it will write: an output that would replace an input is refused
    /// here, before any work, naming both paths. Staging folders left in `directory` by
    /// killed runs are removed.
    public init(directory: String, inputs: [String] = [], outputs: [String] = []) throws {
        let fm = FileManager.default
        try Self.checkOutputs(outputs, in: directory, inputs: inputs)
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: directory, isDirectory: &isDir)
        if exists && !isDir.boolValue {
            throw MapbookError("output folder exists and is not a folder", path: directory)
        }
        if !exists {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            catch { throw MapbookError("cannot create output folder: \(error.localizedDescription)", path: directory) }
        }
        self.directory = directory
        self.createdDirectory = !exists
        self.staging = directory + "/.mapbook-staging-\(getpid())"
        self.inputs = inputs
        StagingLeftovers.remove(in: directory)
        try? fm.removeItem(atPath: staging)
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: false) }
        catch { throw MapbookError("cannot write into output folder: \(error.localizedDescription)", path: directory) }
    }

    private let inputs: [String]

    /// Refuses output names (or `fnmatch` patterns such as `round_*.json`, for files whose
    /// number is known only as the work goes) in `directory` that are one of `inputs`.
    static func checkOutputs(_ outputs: [String], in directory: String, inputs: [String]) throws {
        let folder = OutputSafety.canonical(directory)
        for name in outputs where !name.contains("*") { try OutputSafety.checkFile(directory + "/" + name, inputs: inputs) }
        for input in inputs {
            let c = OutputSafety.canonical(input)
            let parent = (c as NSString).deletingLastPathComponent, file = (c as NSString).lastPathComponent
            if parent == folder, outputs.contains(where: { fnmatch($0, file, 0) == 0 }) {
                throw MapbookError("the output would overwrite the input file \(input); choose another output folder", path: directory + "/" + file)
            }
        }
    }

    /// The final path of output `name`.
    public func finalPath(_ name: String) -> String { directory + "/" + name }

    /// Stages a file. `body` writes it at the path it is given.
    public func add(_ name: String, _ body: (_ stagingPath: String) throws -> Void) throws {
        try OutputSafety.checkFile(finalPath(name), inputs: inputs)
        let stagingPath = staging + "/" + name
        do { try body(stagingPath) } catch {
            // The staging folder is ours, not the user's: errors name the final path.
            throw StagingLeftovers.naming(error, staged: stagingPath, final: finalPath(name))
        }
        lock.lock()
        names.append(name)
        lock.unlock()
    }

    /// Stages a file with the given bytes.
    public func add(_ name: String, data: Data) throws {
        try add(name) { path in try AtomicFile.write(data, to: path) }
    }

    /// Moves every staged file into the output folder.
    public func commit() throws {
        for name in names {
            guard rename(staging + "/" + name, finalPath(name)) == 0 else {
                throw MapbookError("cannot move output into place: \(String(cString: strerror(errno)))", path: finalPath(name))
            }
        }
        try? FileManager.default.removeItem(atPath: staging)
        finished = true
    }

    /// Removes everything staged (and the output folder if this run created it).
    public func discard() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: staging)
        if createdDirectory, (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty ?? false {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    deinit { discard() }
}

import Foundation
import MapbookCore
import Reports

/// The files of one report, staged in a hidden folder and moved into the output folder only
/// when all are written, so that a run that fails half-way leaves the previous report as it
/// was.
///
/// Top-level files are renamed over their predecessors one by one (each rename is atomic);
/// the figures/, data/, maps/, deposition/ and chimerax/ folders are swapped whole, so no stale
/// figure of a removed cell survives. Anything else in the output folder (the cache) is left alone.
final class ReportBundle {
    let directory: String
    let staging: String
    private var finished = false

    /// The folders swapped whole on commit.
    static let folders = ["figures", "data", "maps", "notebook", "deposition", "chimerax"]

    /// Prepares staging inside `directory` (created when missing).
    init(directory: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir), !isDir.boolValue {
            throw MapbookError("output folder exists and is not a folder", path: directory)
        }
        do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        catch { throw MapbookError("cannot create the output folder: \(error.localizedDescription)", path: directory) }
        self.directory = directory
        staging = directory + "/.mapbook-staging-\(getpid())"
        StagingLeftovers.remove(in: directory)
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for f in Self.folders { try fm.createDirectory(atPath: staging + "/" + f, withIntermediateDirectories: true) }
        } catch {
            throw MapbookError("cannot write into the output folder: \(error.localizedDescription)", path: directory)
        }
    }

    /// The staging path of `name` (which may start with one of `folders`).
    func path(_ name: String) -> String { staging + "/" + name }

    /// Stages `data` as `name`.
    func add(_ name: String, _ data: Data) throws {
        do {
            let folder = (path(name) as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: folder) { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try AtomicFile.write(data, to: path(name))
        }
        catch { throw StagingLeftovers.naming(error, staged: path(name), final: directory + "/" + name) }
    }

    /// Stages a hard link to (or, across file systems, a copy of) `source` as `name`.
    func link(_ name: String, to source: String) throws {
        let target = path(name)
        if Foundation.link(source, target) != 0 {
            do { try FileManager.default.copyItem(atPath: source, toPath: target) }
            catch { throw MapbookError("cannot copy into the report folder \(directory): \(error.localizedDescription)", path: source) }
        }
    }

    /// Stages a copy of `source` as `name`: its own bytes, independent of `source`.
    func copy(_ name: String, from source: String) throws {
        do { try FileManager.default.copyItem(atPath: source, toPath: path(name)) }
        catch { throw MapbookError("cannot copy into the report folder \(directory): \(error.localizedDescription)", path: source) }
    }

    /// Stages `name` as a symbolic link to `source`, written relative to where `name` will be
    /// once committed (so it survives moving the report together with `source`).
    func symlink(_ name: String, to source: String) throws {
        let finalFolder = URL(fileURLWithPath: directory + "/" + name).deletingLastPathComponent().path
        let target = RelativePath.from(directory: finalFolder, to: source)
        do { try FileManager.default.createSymbolicLink(atPath: path(name), withDestinationPath: target) }
        catch { throw MapbookError("cannot link into the report folder \(directory): \(error.localizedDescription)", path: source) }
    }

    /// Moves every staged file and folder into place.
    func commit() throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: staging).sorted() where !Self.folders.contains(name) {
            guard rename(path(name), directory + "/" + name) == 0 else {
                throw MapbookError("cannot move the report into place: \(String(cString: strerror(errno)))", path: directory + "/" + name)
            }
        }
        for folder in Self.folders {
            let final = directory + "/" + folder
            let old = directory + "/.old-\(folder)-\(getpid())"
            let hadOld = fm.fileExists(atPath: final)
            if hadOld { guard rename(final, old) == 0 else { throw MapbookError("cannot replace \(folder)/", path: final) } }
            guard rename(path(folder), final) == 0 else {
                if hadOld { rename(old, final) }
                throw MapbookError("cannot move \(folder)/ into place: \(String(cString: strerror(errno)))", path: final)
            }
            if hadOld { try? fm.removeItem(atPath: old) }
            // A folder the report does not use (maps/ with maps omitted, deposition/ without a
            // deposition section) is not left behind empty.
            if (try? fm.contentsOfDirectory(atPath: final))?.isEmpty == true { try? fm.removeItem(atPath: final) }
        }
        try? fm.removeItem(atPath: staging)
        finished = true
    }

    /// Removes the staging folder (the previous report stays as it was).
    func discard() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: staging)
    }

    deinit { discard() }
}

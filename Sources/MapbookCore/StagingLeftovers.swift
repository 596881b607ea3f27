import Foundation

/// What a killed run leaves behind in an output folder, and how the next run clears it.
///
/// Writers stage their files in hidden folders whose names end in the writer's process id
/// (`.mapbook-staging-<pid>`, `.old-<folder>-<pid>` during a report's folder swap,
/// `.incomplete-<key>-<pid>` in a cache). A leftover whose process no longer runs is stale: an
/// interrupted swap is undone (the old folder put back when its replacement never arrived),
/// everything else is removed. A leftover of a process that still runs is left alone, so two
/// writers never remove each other's work.
public enum StagingLeftovers {
    /// The prefixes of staging names, each followed by `-<pid>` at the end of the name.
    static let prefixes = [".mapbook-staging-", ".old-", ".incomplete-"]

    /// Removes stale leftovers in `folder` (not recursively). With `allWriters` every leftover
    /// counts as stale, whatever its process id: for a caller that holds the folder's
    /// `OutputLock`, where process ids may come from another host of a cluster.
    public static func remove(in folder: String, allWriters: Bool = false) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] {
            guard prefixes.contains(where: name.hasPrefix), let pid = ownerPID(name), allWriters || !isRunning(pid) else { continue }
            let path = folder + "/" + name
            if name.hasPrefix(".old-") {
                // `.old-figures-<pid>`: the swap stopped between its two renames.
                let original = folder + "/" + name.dropFirst(".old-".count).split(separator: "-").dropLast().joined(separator: "-")
                if !fm.fileExists(atPath: original), rename(path, original) == 0 { continue }
            }
            try? fm.removeItem(atPath: path)
        }
    }

    /// The process id a leftover's name ends with.
    static func ownerPID(_ name: String) -> pid_t? {
        guard let last = name.split(separator: "-").last, let pid = pid_t(last), pid > 0 else { return nil }
        return pid
    }

    /// Whether process `pid` exists (a process of another user counts as running).
    static func isRunning(_ pid: pid_t) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// `error` with the staging path replaced by the final path, so no message names a folder
    /// the user never made.
    public static func naming(_ error: Error, staged: String, final: String) -> Error {
        guard var e = error as? MapbookError else {
            return MapbookError("\(error)".replacingOccurrences(of: staged, with: final), path: final)
        }
        if e.path == staged { e.path = final }
        e.problem = e.problem.replacingOccurrences(of: staged, with: final)
        return e
    }
}

import Foundation
import MapbookCore
import Notebook

/// Where a batch keeps its files, all under one output folder:
///
///     OUTPUT/<name>/            one report bundle per dataset (report.html, summary.json, …, cache/)
///     OUTPUT/status/<name>.json each dataset's last task: state, times, exit, host, Slurm ids
///     OUTPUT/index.html|json|csv the facility index
///     OUTPUT/slurm/             array.sbatch, aggregate.sbatch, submissions.json, logs/
public struct BatchLayout: Sendable {
    /// The output folder (absolute).
    public let root: String

    /// The layout under `root`.
    public init(root: String) {
        let e = (root as NSString).expandingTildeInPath
        self.root = URL(fileURLWithPath: e.hasPrefix("/") ? e : FileManager.default.currentDirectoryPath + "/" + e).standardizedFileURL.path
    }

    /// The default output folder of a manifest: `batch/` beside it.
    public static func defaultRoot(manifest: String) -> String {
        URL(fileURLWithPath: manifest).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("batch").path
    }

    /// The report folder of dataset `name`.
    public func report(_ name: String) -> String { root + "/" + name }
    /// The status file of dataset `name`.
    public func status(_ name: String) -> String { root + "/status/" + name + ".json" }
    /// The Slurm folder.
    public var slurm: String { root + "/slurm" }
    /// The Slurm logs folder.
    public var logs: String { slurm + "/logs" }
    /// The record of submissions.
    public var submissions: String { slurm + "/submissions.json" }

    /// Creates the folders.
    public func prepare() throws {
        for d in [root, root + "/status", slurm, logs] {
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
            catch { throw MapbookError("cannot create the folder: \(error.localizedDescription)", path: d) }
        }
    }
}

/// The state a dataset's task recorded in its status file.
public enum TaskState: String, Codable, Sendable {
    /// Started and not finished (or killed: the scheduler tells which).
    case running
    /// Report written; every cell succeeded.
    case completed
    /// Report written; some cells failed or were skipped.
    case cellFailures = "cell_failures"
    /// No report written by this task (a previous report, if any, stays).
    case failed
}

/// A dataset's status file: what its last task did. Written atomically (whole file or
/// nothing) at the start and at the end of each task.
public struct TaskStatus: Codable, Sendable, Equatable {
    /// The dataset.
    public var dataset: String
    /// What happened.
    public var state: TaskState
    /// When the task started (ISO 8601, UTC).
    public var started: String
    /// When it ended.
    public var finished: String?
    /// Seconds from start to end.
    public var seconds: Double?
    /// The process exit status the task ended with.
    public var exitStatus: Int32?
    /// The error, for failed tasks.
    public var message: String?
    /// Cells run now, reused from the cache, failed, skipped.
    public var cellsExecuted: Int?, cellsCached: Int?, cellsFailed: Int?, cellsSkipped: Int?
    /// The machine.
    public var host: String
    /// The process id.
    public var pid: Int32
    /// `SLURM_ARRAY_JOB_ID` and `SLURM_ARRAY_TASK_ID`, or `SLURM_JOB_ID`, when under Slurm.
    public var slurmJob: String?

    /// Whether the task finished with a report written (whether or not every cell succeeded).
    public var hasReport: Bool { state == .completed || state == .cellFailures }

    /// Reads the status file at `path` (nil when absent or unreadable).
    public static func read(_ path: String) -> TaskStatus? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONPolicy.decode(TaskStatus.self, from: d)
    }

    /// Writes it to `path` atomically.
    public func write(_ path: String) throws {
        try AtomicFile.write(try CanonicalJSON.encode(self), to: path)
    }
}


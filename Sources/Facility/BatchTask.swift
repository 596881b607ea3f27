import Foundation
import MapbookCore
import Notebook
import NotebookReport

/// Runs one dataset of a batch: the work of one array task (or of one local job).
///
/// The task records `running` in its status file, runs the plan with the cache in the
/// dataset's report folder, writes the report with `ReportWriter` (staged, then moved into
/// place: a task killed at any moment leaves the previous report whole), and records the end.
/// Every status write is atomic too, so a reader sees either the old or the new state.
public enum BatchTask {
    /// How a task runs.
    public struct Options: Sendable {
        /// mapbook's version (cache keys, provenance).
        public var mapbookVersion: String
        /// Run every cell, ignoring the cache.
        public var force = false
        /// Report formats.
        public var formats: Set<ReportFormat> = Set(ReportFormat.allCases)
        /// Template folder for the HTML.
        public var templateDirectory: String?
        /// Progress.
        public var progress: ProgressReporter = .silent
        /// The command line recorded in provenance.
        public var commandLine: [String] = CommandLine.arguments

        /// Options for `mapbook` version `mapbookVersion`.
        public init(mapbookVersion: String) { self.mapbookVersion = mapbookVersion }
    }

    /// Exit status of a task whose report was written but a cell failed (as `mapbook run`).
    public static let cellFailureStatus: Int32 = 2

    /// Runs `entry`, writing its report under `layout`; returns the final status. Never throws
    /// for a dataset's own problems (they are the status); throws only when the status file
    /// cannot be written.
    @discardableResult
    public static func run(_ entry: BatchManifest.Entry, layout: BatchLayout, options: Options) throws -> TaskStatus {
        let env = ProcessInfo.processInfo.environment
        let slurm = env["SLURM_ARRAY_JOB_ID"].map { "\($0)_\(env["SLURM_ARRAY_TASK_ID"] ?? "")" } ?? env["SLURM_JOB_ID"]
        let t0 = Date()
        var status = TaskStatus(dataset: entry.name, state: .running, started: UTCTime.string(t0, .iso), host: ProcessInfo.processInfo.hostName,
                                pid: getpid(), slurmJob: slurm)
        try FileManager.default.createDirectory(atPath: layout.root + "/status", withIntermediateDirectories: true)
        try status.write(layout.status(entry.name))
        let output = layout.report(entry.name)
        do {
            let plan = try entry.loadPlan()
            var runOptions = RunOptions(cacheDirectory: output + "/cache", mapbookVersion: options.mapbookVersion)
            runOptions.force = options.force
            runOptions.progress = options.progress
            runOptions.commandLine = options.commandLine
            let runner = NotebookRunner(plan: plan, options: runOptions)
            // A dataset too large for this node fails here, with the estimate, before any output.
            try runner.requireMemoryFits()
            try ReportWriter.checkOutputs(inputs: plan.inputFiles, directory: output, cacheDirectory: output + "/cache")
            let lock = try OutputLock(folder: output)
            defer { lock.release() }
            // Only one task runs per dataset at a time (resubmission skips datasets still queued
            // or running, and the lock refuses a second), so every leftover is stale, whatever
            // host's process id it carries.
            StagingLeftovers.remove(in: output, allWriters: true)
            let run = try runner.run()
            var reportOptions = ReportOptions()
            reportOptions.formats = options.formats
            reportOptions.templateDirectory = options.templateDirectory
            reportOptions.progress = options.progress
            reportOptions.date = t0
            try ReportWriter.write(run, to: output, options: reportOptions)
            let count = { (s: CellStatus) in run.cells.filter { $0.status == s }.count }
            status.cellsExecuted = count(.executed); status.cellsCached = count(.cached)
            status.cellsFailed = count(.failed); status.cellsSkipped = count(.skipped)
            status.state = run.unsuccessfulCells.isEmpty ? .completed : .cellFailures
            status.exitStatus = run.unsuccessfulCells.isEmpty ? 0 : cellFailureStatus
            if !run.unsuccessfulCells.isEmpty {
                status.message = run.unsuccessfulCells.map { "cell '\($0.id)' \($0.status.rawValue): \($0.message ?? "")" }.joined(separator: "; ")
            }
        } catch {
            status.state = .failed
            status.exitStatus = 1
            status.message = (error as? MapbookError)?.description ?? "\(error)"
        }
        let t1 = Date()
        status.finished = UTCTime.string(t1, .iso)
        status.seconds = t1.timeIntervalSince(t0)
        try status.write(layout.status(entry.name))
        return status
    }
}

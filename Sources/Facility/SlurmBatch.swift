import Foundation
import MapbookCore

/// A batch on a Slurm cluster: one job array (task i runs manifest entry i, at most
/// `throttle` at a time) and an aggregation job that depends on it and builds the index.
///
/// Everything goes through the ordinary commands (`sbatch --parsable`, `squeue`,
/// `scontrol show job`); no accounting database (`sacct`) is needed. Every submission is
/// recorded in `OUTPUT/slurm/submissions.json`, which `status` and `resubmit` read.
public enum SlurmBatch {
    /// What to request and how to run the tasks.
    public struct Options: Sendable {
        /// The mapbook binary the tasks run (must be reachable from the compute nodes).
        public var executable: String
        /// Tasks running at once (`%K`).
        public var throttle = 4
        /// Cores per task (`--cpus-per-task`; the task's `--threads`).
        public var cpusPerTask = 1
        /// `--partition`, `--account`, `--qos`, when set.
        public var partition: String?, account: String?, qos: String?
        /// Memory (MiB) and time (minutes) instead of the estimates.
        public var memoryMiB: Int?, minutes: Int?
        /// More `#SBATCH` lines, as given (`--gres=gpu:1`).
        public var extraDirectives: [String] = []
        /// Arguments every task gets (`--force`, `--formats html`).
        public var taskArguments: [String] = []
        /// The aggregation runs after the array with `afterany` (default) or `afterok`.
        public var aggregateAfterOK = false
        /// Job name.
        public var jobName = "mapbook-batch"
        /// The sbatch, squeue and scontrol commands (a folder of them, for tests and sites).
        public var commandFolder: String?

        /// Options running `executable`.
        public init(executable: String) { self.executable = executable }
    }

    /// One submission: an array and its aggregation job.
    public struct Submission: Codable, Sendable {
        /// The array's job id.
        public var arrayJob: String
        /// The aggregation job's id.
        public var aggregateJob: String
        /// Array task id → dataset name.
        public var tasks: [String: String]
        /// When submitted.
        public var submitted: String
        /// The `--array` specification used.
        public var array: String
    }

    // MARK: scripts

    /// The array script: `#SBATCH` directives with the largest estimate over `indices`, the
    /// per-dataset estimates as comments, and one `mapbook batch task` line. Every value is
    /// checked first (`validate(manifest:layout:options:)`).
    public static func arrayScript(manifest: BatchManifest, layout: BatchLayout, indices: [Int], options: Options) throws -> String {
        try validate(manifest: manifest, layout: layout, options: options)
        var estimates: [(Int, ResourceEstimate)] = []
        for i in indices {
            let e = manifest.entries[i]
            do {
                let plan = try e.loadPlan()
                estimates.append((i, try ResourceEstimate.estimate(plan: plan, files: e.datasetFiles(plan), cpus: options.cpusPerTask)))
            } catch {
                throw MapbookError("\(error)", path: "\(manifest.path):\(e.line)")
            }
        }
        let memory = options.memoryMiB ?? estimates.map(\.1.memoryMiB).max() ?? 512
        let minutes = options.minutes ?? estimates.map(\.1.minutes).max() ?? 10
        var lines = ["#!/bin/bash",
                     "# mapbook batch: one array task per manifest entry (task i runs entry i of the manifest).",
                     "# Manifest: \(manifest.path)",
                     "# Estimates from the map headers (the array requests the largest):"]
        for (i, e) in estimates {
            lines.append("#   task \(i) \(manifest.entries[i].name): box \(e.box.map(String.init).joined(separator: "x")), \(e.memoryMiB) MiB, \(e.minutes) min")
        }
        lines += ["#SBATCH --job-name=\(options.jobName)",
                  "#SBATCH --array=\(arraySpec(indices, throttle: options.throttle))",
                  "#SBATCH --cpus-per-task=\(options.cpusPerTask)",
                  "#SBATCH --mem=\(memory)M",
                  "#SBATCH --time=\(ResourceEstimate.slurmTime(minutes: minutes))",
                  "#SBATCH " + SlurmScriptValues.directiveQuoted("--output=\(layout.logs)/task_%A_%a.out")]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let a = options.account { lines.append("#SBATCH --account=\(a)") }
        if let q = options.qos { lines.append("#SBATCH --qos=\(q)") }
        lines += options.extraDirectives.map { "#SBATCH \($0)" }
        let task = [options.executable, "batch", "task", manifest.path, "--output", layout.root].map(shellQuote).joined(separator: " ")
            + " --index \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\""
            + options.taskArguments.map { " " + shellQuote($0) }.joined()
        lines += ["set -u", "exec \(task)", ""]
        return lines.joined(separator: "\n")
    }

    /// The aggregation script: builds the index once the array is over. Every value is
    /// checked first (`validate(manifest:layout:options:)`).
    public static func aggregateScript(manifest: BatchManifest, layout: BatchLayout, options: Options) throws -> String {
        try validate(manifest: manifest, layout: layout, options: options)
        var lines = ["#!/bin/bash",
                     "# mapbook batch: builds the facility index after the array (submitted with a dependency on it).",
                     "#SBATCH --job-name=\(options.jobName)-index",
                     "#SBATCH --cpus-per-task=1",
                     "#SBATCH --mem=256M",
                     "#SBATCH --time=00:10:00",
                     "#SBATCH " + SlurmScriptValues.directiveQuoted("--output=\(layout.logs)/index_%j.out")]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let a = options.account { lines.append("#SBATCH --account=\(a)") }
        if let q = options.qos { lines.append("#SBATCH --qos=\(q)") }
        lines += ["set -u", "exec " + [options.executable, "batch", "index", manifest.path, "--output", layout.root].map(shellQuote).joined(separator: " "), ""]
        return lines.joined(separator: "\n")
    }

    /// `0-5%2`, or `1,4%2` for a subset.
    public static func arraySpec(_ indices: [Int], throttle: Int) -> String {
        let sorted = indices.sorted()
        let contiguous = sorted.count > 1 && sorted.last! - sorted.first! == sorted.count - 1
        let list = contiguous ? "\(sorted.first!)-\(sorted.last!)" : sorted.map(String.init).joined(separator: ",")
        return list + "%\(max(1, throttle))"
    }

    /// `s` as one word of a bash command: as it is when it holds only ASCII letters, digits
    /// and `/._-=:,+%@` (no expansion, globbing or splitting can touch those), else in single
    /// quotes with each `'` written `'\''`. Inside single quotes bash expands nothing, so `$(…)`,
    /// backticks, `;`, `"`, white space and non-ASCII stay literal; the empty string is `''`.
    /// Works by Unicode scalar: a `'` carrying a combining mark is one `Character` to Swift
    /// but still a quote to bash.
    static func shellQuote(_ s: String) -> String {
        let safe: (Unicode.Scalar) -> Bool = {
            $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-=:,+%@".unicodeScalars.contains($0))
        }
        if !s.isEmpty && s.unicodeScalars.allSatisfy(safe) { return s }
        var out = String.UnicodeScalarView()
        out.append("'")
        for c in s.unicodeScalars {
            if c == "'" { out.append(contentsOf: "'\\''".unicodeScalars) } else { out.append(c) }
        }
        out.append("'")
        return String(out)
    }

    // MARK: submitting

    /// Writes the scripts and submits `indices` (all entries when nil) and the aggregation job.
    @discardableResult
    public static func submit(manifest: BatchManifest, layout: BatchLayout, indices: [Int]? = nil, options: Options) throws -> Submission {
        let chosen = indices ?? Array(manifest.entries.indices)
        let (arrayPath, aggregatePath) = try writeScripts(manifest: manifest, layout: layout, indices: chosen, options: options)
        let spec = arraySpec(chosen, throttle: options.throttle)
        // --array on the command line wins over the script's directive (resubmissions use it).
        let arrayJob = try jobID(try command("sbatch", ["--parsable", "--array=\(spec)", arrayPath], options: options))
        let dependency = "\(options.aggregateAfterOK ? "afterok" : "afterany"):\(arrayJob)"
        let aggregateJob: String
        do {
            aggregateJob = try jobID(try command("sbatch", ["--parsable", "--dependency=\(dependency)", aggregatePath], options: options))
        } catch {
            throw MapbookError("the array was submitted as job \(arrayJob), but the index job was not: \(error)")
        }
        let submission = Submission(arrayJob: arrayJob, aggregateJob: aggregateJob,
                                    tasks: Dictionary(uniqueKeysWithValues: chosen.map { ("\($0)", manifest.entries[$0].name) }),
                                    submitted: UTCTime.string(Date(), .iso), array: spec)
        var all = submissions(layout)
        all.append(submission)
        try AtomicFile.write(try JSONPolicy.encode(all), to: layout.submissions)
        return submission
    }

    /// Checks every value, then writes `array.sbatch` and `aggregate.sbatch` into the batch's
    /// Slurm folder (what `--dry-run` leaves to inspect, and what `submit` submits); returns
    /// their paths.
    @discardableResult
    public static func writeScripts(manifest: BatchManifest, layout: BatchLayout, indices: [Int], options: Options) throws -> (array: String, aggregate: String) {
        // Before anything is written: a bad value leaves no scripts and submits nothing.
        try validate(manifest: manifest, layout: layout, options: options)
        guard !indices.isEmpty else { throw MapbookError("nothing to submit") }
        let array = try arrayScript(manifest: manifest, layout: layout, indices: indices, options: options)
        let aggregate = try aggregateScript(manifest: manifest, layout: layout, options: options)
        try layout.prepare()
        let arrayPath = layout.slurm + "/array.sbatch", aggregatePath = layout.slurm + "/aggregate.sbatch"
        try AtomicFile.write(Data(array.utf8), to: arrayPath)
        try AtomicFile.write(Data(aggregate.utf8), to: aggregatePath)
        return (arrayPath, aggregatePath)
    }

    /// The recorded submissions, oldest first.
    public static func submissions(_ layout: BatchLayout) -> [Submission] {
        guard let d = FileManager.default.contents(atPath: layout.submissions) else { return [] }
        return (try? JSONPolicy.decode([Submission].self, from: d)) ?? []
    }

    /// `sbatch --parsable` prints `jobid[;cluster]`.
    static func jobID(_ output: String) throws -> String {
        let id = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw MapbookError("sbatch printed no job id: \(output)") }
        return id
    }

    /// Runs a Slurm command; its stdout, or a one-line error with its stderr.
    static func command(_ name: String, _ arguments: [String], options: Options, allowFailure: Bool = false) throws -> String {
        let r = try options.commandFolder.map { try ExternalCommand.run($0 + "/" + name, arguments) }
            ?? ExternalCommand.run("/usr/bin/env", [name] + arguments)
        if !r.succeeded && !allowFailure {
            let why = r.stderrText.split(separator: "\n").first.map(String.init) ?? "exit status \(r.status)"
            throw MapbookError("\(name) \(arguments.joined(separator: " ")) failed: \(why)")
        }
        return r.succeeded ? r.stdoutText : ""
    }

    // MARK: status

    /// Where one dataset stands.
    public struct DatasetState: Sendable {
        /// The dataset.
        public var dataset: String
        /// Its array task (`12_3`), from the latest submission that included it.
        public var job: String?
        /// The scheduler's state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, …),
        /// nil when Slurm no longer knows the job.
        public var slurmState: String?
        /// What the task recorded.
        public var task: TaskStatus?

        /// A state.
        public init(dataset: String, job: String?, slurmState: String?, task: TaskStatus?) {
            self.dataset = dataset; self.job = job; self.slurmState = slurmState; self.task = task
        }

        /// Queued or running now.
        public var isActive: Bool {
            guard let s = slurmState else { return false }
            return ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED"].contains(s)
        }

        /// Needs resubmitting: not active, and no report from its last task (failed, killed,
        /// never started). Tasks whose report was written with failed cells are not included:
        /// the failure is a result; fix the plan and resubmit with `--force`-style intent.
        public var needsResubmit: Bool {
            guard !isActive else { return false }
            guard let t = task else { return true }
            return t.state == .failed || t.state == .running
        }

        /// One word for tables: the scheduler's state while active, else the task's.
        public var summary: String {
            if isActive { return slurmState!.lowercased() }
            guard let t = task else { return slurmState.map { "missing (\($0.lowercased()))" } ?? "missing" }
            if t.state == .running { return "interrupted" + (slurmState.map { " (\($0.lowercased()))" } ?? "") }
            return t.state.rawValue
        }
    }

    /// The state of every dataset of the manifest, from `squeue`, `scontrol show job` and the
    /// status files.
    public static func states(manifest: BatchManifest, layout: BatchLayout, options: Options) throws -> [DatasetState] {
        let subs = submissions(layout)
        var latest: [String: String] = [:]   // dataset -> "array_task"
        for s in subs { for (task, name) in s.tasks { latest[name] = "\(s.arrayJob)_\(task)" } }
        var slurm: [String: String] = [:]
        let arrays = Set(latest.values.map { String($0.split(separator: "_")[0]) })
        if !arrays.isEmpty {
            // All of this user's jobs, not `-j`: squeue fails outright when one id is no longer
            // known, and a failure here must not read as "nothing is queued" (resubmitting
            // running tasks), so it is an error.
            let out = try command("squeue", ["-h", "-r", "--me", "-o", "%i|%T"], options: options)
            for line in out.split(separator: "\n") {
                let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, arrays.contains(String(parts[0].split(separator: "_")[0])) { slurm[parts[0]] = parts[1] }
            }
        }
        return manifest.entries.map { e in
            let job = latest[e.name]
            var state = job.flatMap { slurm[$0] }
            if state == nil, let job {
                // Finished jobs stay known to slurmctld for MinJobAge (5 minutes by default).
                let out = (try? command("scontrol", ["-o", "show", "job", job], options: options, allowFailure: true)) ?? ""
                if let r = out.range(of: "JobState=") {
                    state = String(out[r.upperBound...].prefix { !$0.isWhitespace })
                }
            }
            return DatasetState(dataset: e.name, job: job, slurmState: state, task: TaskStatus.read(layout.status(e.name)))
        }
    }

    /// Resubmits the datasets that need it; nil when none does.
    public static func resubmit(manifest: BatchManifest, layout: BatchLayout, options: Options) throws -> Submission? {
        let states = try states(manifest: manifest, layout: layout, options: options)
        let indices = states.indices.filter { states[$0].needsResubmit }
        guard !indices.isEmpty else { return nil }
        return try submit(manifest: manifest, layout: layout, indices: indices, options: options)
    }
}

import ArgumentParser
import Facility
import Foundation
import MapbookCore
import NotebookReport

/// `mapbook batch`: many datasets at once, locally or as a Slurm job array, with an index page.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run a manifest of datasets (locally or on Slurm) and write a facility index page.",
        discussion: """
        The manifest lists one dataset per line: `plan PLAN [NAME]`, or `dataset FOLDER [NAME]` \
        run with the latest `template PLAN` line above it (see README, "Facility mode"). \
        Reports go to OUTPUT/<name>/, the index to OUTPUT/index.html, .json and .csv.
        """,
        subcommands: [BatchRunCommand.self, BatchStatusCommand.self, BatchResubmitCommand.self,
                      BatchIndexCommand.self, BatchTaskCommand.self],
        defaultSubcommand: BatchRunCommand.self)
}

/// The manifest and output folder every batch subcommand takes.
struct BatchLocation: ParsableArguments {
    @Argument(help: "The manifest file.") var manifest: String
    @Option(name: [.short, .customLong("output")], help: "Batch folder (default: batch/ beside the manifest).") var output: String?

    var layout: BatchLayout { BatchLayout(root: output ?? BatchLayout.defaultRoot(manifest: manifest)) }
    func load(checkPlans: Bool = true) throws -> BatchManifest { try BatchManifest.load(path: manifest, checkPlans: checkPlans) }
}

/// Slurm options shared by submission and resubmission.
struct SlurmOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Array tasks running at once on Slurm (the %K throttle).") var throttle = 4
    @Option(name: .long, parsing: .unconditional, help: "Cores per task (--cpus-per-task; each task's --threads).") var cpusPerTask = 1
    @Option(name: .long, help: "Slurm partition.") var partition: String?
    @Option(name: .long, help: "Slurm account.") var account: String?
    @Option(name: .long, help: "Slurm QOS.") var qos: String?
    @Option(name: .long, parsing: .unconditional, help: "Memory per task in MiB, instead of the estimate from the box size.") var mem: Int?
    @Option(name: .long, parsing: .unconditional, help: "Time limit per task in minutes, instead of the estimate.") var timeMinutes: Int?
    @Option(name: .long, help: "Another #SBATCH option for the array, e.g. --sbatch-option=--gres=gpu:1 (repeatable).") var sbatchOption: [String] = []
    @Flag(name: .long, help: "Build the index only when every task succeeded (afterok; default afterany).") var indexAfterOk = false
    @Option(name: .long, help: "The mapbook binary the tasks run (default: this one; it must be reachable from the nodes).") var mapbook: String?

    func validate() throws {
        if throttle < 1 { throw ValidationError("--throttle must be at least 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
    }

    /// The options, checked (a bad value is one line naming the option, before anything is written).
    func options(taskArguments: [String] = []) throws -> SlurmBatch.Options {
        var o = SlurmBatch.Options(executable: mapbook ?? BatchExecutable.path)
        o.throttle = throttle; o.cpusPerTask = cpusPerTask
        o.partition = partition; o.account = account; o.qos = qos
        o.memoryMiB = mem; o.minutes = timeMinutes
        o.extraDirectives = sbatchOption
        o.aggregateAfterOK = indexAfterOk
        o.taskArguments = taskArguments
        try slurmChecked { try o.validate() }
        return o
    }
}

enum BatchExecutable {
    /// This binary's absolute path.
    static var path: String {
        let proc = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if proc != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: proc) { return proc }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// `mapbook batch [run] MANIFEST`.
struct BatchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every dataset of a manifest: here (--jobs K at a time) or as a Slurm job array (--slurm).")

    @OptionGroup var location: BatchLocation
    @Option(name: [.short, .customLong("jobs")], parsing: .unconditional, help: "Datasets run at once locally.") var jobs = 1
    @Flag(name: .long, help: "Submit a Slurm job array (sbatch --parsable) and an index job that depends on it, then return.") var slurm = false
    @Flag(name: .long, help: "With --slurm: write the scripts and print the array script, but submit nothing.") var dryRun = false
    @OptionGroup var slurmOptions: SlurmOptions
    @Flag(name: .long, help: "Run every cell, ignoring cached results.") var force = false
    @Option(name: .long, help: "Report formats, comma-separated: html, pdf, ipynb.") var formats = "html,pdf,ipynb"
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try BatchFormats.parse(formats)
    }

    func run() throws {
        let progress = compute.apply()
        var taskArguments = ["--formats", formats]
        if force { taskArguments.append("--force") }
        // Slurm values first: a bad one is reported before any file is read or written.
        let slurmRunOptions = slurm || dryRun ? try slurmOptions.options(taskArguments: taskArguments) : nil
        let manifest = try location.load()
        let layout = location.layout
        if let options = slurmRunOptions {
            if dryRun {
                let paths = try slurmChecked { try SlurmBatch.writeScripts(manifest: manifest, layout: layout, indices: Array(manifest.entries.indices), options: options) }
                print(try String(contentsOfFile: paths.array, encoding: .utf8), terminator: "")
                print("# Dry run: wrote \(paths.array) and \(paths.aggregate); nothing was submitted.")
                return
            }
            let s = try slurmChecked { try SlurmBatch.submit(manifest: manifest, layout: layout, options: options) }
            print("Submitted array job \(s.arrayJob) (\(manifest.entries.count) tasks, --array=\(s.array)) and index job \(s.aggregateJob).")
            print("Scripts: \(layout.slurm)/array.sbatch, aggregate.sbatch. Follow with: mapbook batch status \(location.manifest)\(location.output.map { " -o \($0)" } ?? "")")
            return
        }
        if let t = compute.threads { taskArguments += ["--threads", "\(t)"] }
        else { taskArguments += ["--threads", "\(max(1, ProcessInfo.processInfo.activeProcessorCount / jobs))"] }
        let t0 = Date()
        let statuses = try LocalBatch.run(manifest, layout: layout, jobs: jobs,
                                          launcher: .process(executable: BatchExecutable.path, extraArguments: taskArguments + ["--quiet"]),
                                          progress: progress, mapbookVersion: MapbookVersion.string)
        progress.finish()
        let counts = Dictionary(grouping: statuses, by: \.state.rawValue).map { "\($0.value.count) \($0.key)" }.sorted()
        let seconds = Date().timeIntervalSince(t0)
        print("Batch: \(counts.joined(separator: ", ")) (\(String(format: "%.1f", seconds)) s)")
        // A facility plans by this number: the whole batch's wall time, waits included.
        print(String(format: "Throughput: %.1f datasets per hour (%d in %.1f s, %d at a time, %.2f s each)",
                     Double(statuses.count) * 3600 / max(seconds, 1e-3), statuses.count, seconds, jobs, seconds / Double(max(1, statuses.count))))
        print("Index: \(layout.root)/index.html, index.csv, index.json")
        if statuses.contains(where: { !$0.hasReport }) { throw ExitCode(1) }
        if statuses.contains(where: { $0.state == .cellFailures }) { throw ExitCode(BatchTask.cellFailureStatus) }
    }
}

enum BatchFormats {
    static func parse(_ text: String) throws -> Set<ReportFormat> {
        var set = Set<ReportFormat>()
        for w in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !w.isEmpty {
            guard let f = ReportFormat(rawValue: w) else { throw ValidationError("unknown format '\(w)'; allowed: html, pdf, ipynb") }
            set.insert(f)
        }
        guard !set.isEmpty else { throw ValidationError("--formats names no format") }
        return set
    }
}

/// `mapbook batch status MANIFEST`.
struct BatchStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each dataset's state: Slurm's (squeue, scontrol; no sacct) and what its task recorded.")

    @OptionGroup var location: BatchLocation
    @Option(name: .long, help: "Folder holding sbatch, squeue and scontrol (default: PATH).") var slurmBin: String?

    func run() throws {
        let manifest = try location.load(checkPlans: false)
        var options = SlurmBatch.Options(executable: BatchExecutable.path)
        options.commandFolder = slurmBin
        let layout = location.layout
        let states: [SlurmBatch.DatasetState]
        if SlurmBatch.submissions(layout).isEmpty {
            states = manifest.entries.map { SlurmBatch.DatasetState(dataset: $0.name, job: nil, slurmState: nil, task: TaskStatus.read(layout.status($0.name))) }
        } else {
            states = try SlurmBatch.states(manifest: manifest, layout: layout, options: options)
        }
        let width = max(7, states.map(\.dataset.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        print(pad("dataset", width) + "  " + pad("job", 10) + "  " + pad("state", 24) + "  detail")
        for s in states {
            var detail = s.task?.message ?? ""
            if let t = s.task, t.hasReport {
                detail = "\(t.cellsExecuted ?? 0) run, \(t.cellsCached ?? 0) cached" + String(format: ", %.1f s", t.seconds ?? 0) + (detail.isEmpty ? "" : "; " + detail)
            }
            print(pad(s.dataset, width) + "  " + pad(s.job ?? "-", 10) + "  " + pad(s.summary, 24) + "  " + detail)
        }
        let resubmit = states.filter(\.needsResubmit).count
        if resubmit > 0 { print("\(resubmit) to resubmit: mapbook batch resubmit \(location.manifest)\(location.output.map { " -o \($0)" } ?? "")") }
    }
}

/// `mapbook batch resubmit MANIFEST`.
struct BatchResubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: "Resubmit the datasets whose task failed, was killed or never ran (not those queued or running), and a new index job.")

    @OptionGroup var location: BatchLocation
    @OptionGroup var slurmOptions: SlurmOptions
    @Option(name: .long, help: "Report formats, comma-separated: html, pdf, ipynb.") var formats = "html,pdf,ipynb"
    @Option(name: .long, help: "Folder holding sbatch, squeue and scontrol (default: PATH).") var slurmBin: String?

    func validate() throws { _ = try BatchFormats.parse(formats) }

    func run() throws {
        var options = try slurmOptions.options(taskArguments: ["--formats", formats])
        options.commandFolder = slurmBin
        let manifest = try location.load()
        guard let s = try slurmChecked({ try SlurmBatch.resubmit(manifest: manifest, layout: location.layout, options: options) }) else {
            print("Nothing to resubmit: every dataset has a report or is queued or running.")
            return
        }
        print("Resubmitted \(s.tasks.count) task\(s.tasks.count == 1 ? "" : "s") (\(s.tasks.values.sorted().joined(separator: ", "))) as array job \(s.arrayJob) (--array=\(s.array)); index job \(s.aggregateJob).")
    }
}

/// `mapbook batch index MANIFEST`: what the aggregation job runs.
struct BatchIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Write the facility index (index.html, index.json, index.csv) from the reports in the batch folder.")

    @OptionGroup var location: BatchLocation
    @Option(name: .long, help: "Folder of templates replacing the built-in index.mustache, index_style.css and style.css (see templates/).")
    var templateDir: String?

    func run() throws {
        let manifest = try location.load(checkPlans: false)
        let layout = location.layout
        try layout.prepare()
        // After a Slurm array, a task still "running" in its status file was killed: say how.
        var states: [String: String] = [:]
        if !SlurmBatch.submissions(layout).isEmpty,
           let known = try? SlurmBatch.states(manifest: manifest, layout: layout, options: SlurmBatch.Options(executable: BatchExecutable.path)) {
            for s in known where s.task?.state == .running && !s.isActive { states[s.dataset] = s.summary }
        }
        let index = FacilityIndex.build(manifest: manifest, layout: layout, mapbookVersion: MapbookVersion.string, states: states)
        try index.write(to: layout, templateDirectory: templateDir)
        print("Index: \(layout.root)/index.html (\(index.datasets.filter { $0.report != nil }.count) of \(index.datasets.count) datasets with a report)")
    }
}

/// `mapbook batch task MANIFEST --index I`: one dataset (what each array task runs).
struct BatchTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one dataset of a manifest (entry --index, from 0) into OUTPUT/<name>/ and record its status.")

    @OptionGroup var location: BatchLocation
    @Option(name: .long, parsing: .unconditional, help: "The entry, counting from 0 (Slurm: $SLURM_ARRAY_TASK_ID).") var index: Int
    @Flag(name: .long, help: "Run every cell, ignoring cached results.") var force = false
    @Option(name: .long, help: "Report formats, comma-separated: html, pdf, ipynb.") var formats = "html,pdf,ipynb"
    @OptionGroup var compute: ComputeOptions

    func validate() throws { _ = try BatchFormats.parse(formats) }

    func run() throws {
        let progress = compute.apply()
        let manifest = try location.load(checkPlans: false)
        guard manifest.entries.indices.contains(index) else {
            throw MapbookError("entry \(index) does not exist; the manifest lists \(manifest.entries.count) datasets (0–\(manifest.entries.count - 1))", path: location.manifest)
        }
        var options = BatchTask.Options(mapbookVersion: MapbookVersion.string)
        options.force = force
        options.formats = try BatchFormats.parse(formats)
        options.progress = progress
        let entry = manifest.entries[index]
        progress.step("[\(entry.name)] running \(entry.planPath)")
        let status = try BatchTask.run(entry, layout: location.layout, options: options)
        progress.finish()
        print("\(entry.name): \(status.state.rawValue)" + (status.message.map { ": \($0)" } ?? ""))
        if let code = status.exitStatus, code != 0 { throw ExitCode(code) }
    }
}

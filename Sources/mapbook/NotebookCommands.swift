import ArgumentParser
import Foundation
import MapbookCore
import Notebook
import NotebookCells
import NotebookReport

/// Options shared by `mapbook run` and `mapbook demo`.
struct ReportRunOptions: ParsableArguments {
    @Flag(name: .long, help: "Run every cell, ignoring cached results.") var force = false
    @Option(name: .long, help: "Report formats to write, comma-separated: html, pdf, ipynb.") var formats = "html,pdf,ipynb"
    @Option(name: .long, help: "Folder of HTML templates replacing the built-in ones (see templates/).") var templateDir: String?
    @Option(name: .long, help: "Cache folder (default: OUTPUT/cache).") var cache: String?

    func validate() throws { _ = try parsedFormats() }

    func parsedFormats() throws -> Set<ReportFormat> {
        var set = Set<ReportFormat>()
        for word in formats.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            guard let f = ReportFormat(rawValue: word) else {
                throw ValidationError("unknown format '\(word)'; allowed: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            set.insert(f)
        }
        guard !set.isEmpty else { throw ValidationError("--formats names no format") }
        return set
    }
}

/// Runs a plan and writes its report: the shared body of `run` and `demo`.
enum PlanExecution {
    /// Exit status when the report was written but a cell failed or was skipped.
    static let cellFailureStatus: Int32 = 2

    static func execute(plan: Plan, output: String, options: ReportRunOptions, progress: ProgressReporter) throws -> Int32 {
        let cache = options.cache ?? (output + "/cache")
        var runOptions = RunOptions(cacheDirectory: cache, mapbookVersion: MapbookVersion.string)
        runOptions.force = options.force
        runOptions.progress = progress
        let runner = NotebookRunner(plan: plan, options: runOptions)
        // Before any work: every cell fits in memory, no output may replace an input, and one
        // run at a time per folder.
        try runner.requireMemoryFits()
        try ReportWriter.checkOutputs(inputs: plan.inputFiles, directory: output, cacheDirectory: cache)
        let lock = try OutputLock(folder: output)
        defer { lock.release() }
        StagingLeftovers.remove(in: output)
        let started = Date()
        let run = try runner.run()
        var reportOptions = ReportOptions()
        reportOptions.formats = try options.parsedFormats()
        reportOptions.templateDirectory = options.templateDir
        reportOptions.progress = progress
        reportOptions.date = started
        reportOptions.mapbookExecutable = MapbookVersion.executablePath
        try ReportWriter.write(run, to: output, options: reportOptions)
        progress.finish()
        let cells = run.cells
        let count = { (s: CellStatus) in cells.filter { $0.status == s }.count }
        print("Report: " + ReportFormat.allCases.filter { reportOptions.formats.contains($0) }.map { "\(output)/report.\($0.rawValue)" }.joined(separator: ", "))
        print("Cells: \(count(.executed)) run, \(count(.cached)) from cache, \(count(.failed)) failed, \(count(.skipped)) skipped (\(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        // Failures are reported even with --quiet: they are results, not progress.
        for c in run.unsuccessfulCells {
            FileHandle.standardError.write(Data("mapbook: cell '\(c.id)' \(c.status.rawValue): \(c.message ?? "")\n".utf8))
        }
        return run.unsuccessfulCells.isEmpty ? 0 : cellFailureStatus
    }

    /// Runs only `cells` of `plan` (and the cells they read from, cached where unchanged) and
    /// rewrites their notebook outputs in `output`/notebook/: what an executed report.ipynb
    /// does for one code cell. The rest of the report is left as it is.
    static func executeCells(_ cells: [String], plan: Plan, output: String, options: ReportRunOptions, progress: ProgressReporter) throws -> Int32 {
        for id in cells where plan.cell(id: id) == nil {
            throw MapbookError("--cell \(id): the plan has no analysis cell with this id; its cells: \(plan.analysisCells.map(\.id).joined(separator: ", "))", path: plan.path)
        }
        let cache = options.cache ?? (output + "/cache")
        var runOptions = RunOptions(cacheDirectory: cache, mapbookVersion: MapbookVersion.string)
        runOptions.force = options.force
        runOptions.progress = progress
        runOptions.onlyCells = Set(cells)
        let runner = NotebookRunner(plan: plan, options: runOptions)
        try runner.requireMemoryFits()
        try OutputSafety.checkFolder(output + "/notebook", inputs: plan.inputFiles)
        try OutputSafety.checkFolder(cache, inputs: plan.inputFiles)
        let lock = try OutputLock(folder: output)
        defer { lock.release() }
        let started = Date()
        let run = try runner.run()
        var reportOptions = ReportOptions()
        reportOptions.date = started
        try ReportWriter.writeNotebookCells(run, ids: Set(cells), to: output, options: reportOptions)
        progress.finish()
        for c in run.cells { print("\(c.id): \(c.status.rawValue)") }
        let failed = run.cells.filter { cells.contains($0.id) && !$0.succeeded }
        for c in failed {
            FileHandle.standardError.write(Data("mapbook: cell '\(c.id)' \(c.status.rawValue): \(c.message ?? "")\n".utf8))
        }
        return failed.isEmpty ? 0 : cellFailureStatus
    }
}

/// `mapbook run`: executes an analysis plan and writes its report.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an analysis plan (YAML or JSON) and write its report: HTML, PDF and Jupyter notebook.",
        discussion: """
        Cells run in order; each analysis cell's results are cached under OUTPUT/cache by a hash \
        of its inputs' contents, its parameters and the engine version, so running an unchanged \
        plan again reuses everything. A failing cell is shown as failed in the report and cells \
        that need it are skipped; the exit status is then \(PlanExecution.cellFailureStatus). \
        Start a plan with `mapbook init`.
        """)

    @Argument(help: "The plan file (.yaml, .yml or .json).") var plan: String
    @Option(name: [.short, .customLong("output")], help: "Report folder (default: reports/<dataset name>).") var output: String?
    @Option(name: .long, help: ArgumentHelp("Run only this cell (repeatable) and the cells it reads from, and rewrite its outputs in OUTPUT/notebook/<cell>/ (what report.ipynb's code does); the report itself is left as it is.", valueName: "id"))
    var cell: [String] = []
    @Option(name: .long, help: ArgumentHelp("JSON file of parameter values replacing the plan's: {\"cell id\": {\"key\": value}} (report.ipynb writes it for edited cells).", valueName: "file"))
    var overrides: String?
    @OptionGroup var report: ReportRunOptions
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let progress = compute.apply()
        let edits = try overrides.map(ParameterOverrides.load(path:)) ?? .none
        let p = try PlanParser.load(path: plan, kinds: CellKinds.all, overrides: edits)
        // A dataset file that is missing, a folder or a FIFO stops the run before any output.
        try p.checkDatasetFiles()
        let folder = output ?? "reports/\(p.datasetFolderName)"
        if !cell.isEmpty {
            let status = try PlanExecution.executeCells(cell, plan: p, output: folder, options: report, progress: progress)
            if status != 0 { throw ExitCode(status) }
            return
        }
        // A whole report is the plan as written: edits belong to one notebook session.
        if !edits.isEmpty { throw ValidationError("--overrides needs --cell: a report is made from the plan as written") }
        let status = try PlanExecution.execute(plan: p, output: folder, options: report, progress: progress)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `mapbook demo`: the bundled example plan on the example data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the bundled example plan (fixtures/demo/plan.yaml) on the example data into reports/demo/.",
        discussion: """
        Makes the example dataset in fixtures/example/ first when it is missing: a simulated \
        bundle of four α-helices with half maps, mask, model and sequence and the known truth \
        (\(ExampleDataset.command)). Paths are relative to --root, the repository root.
        """)

    @Option(name: .long, help: "Folder holding fixtures/ (default: the current folder).") var root = "."
    @Option(name: [.short, .customLong("output")], help: "Report folder (default: ROOT/reports/demo).") var output: String?
    @OptionGroup var report: ReportRunOptions
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let progress = compute.apply()
        try ExampleDataset.makeIfMissing(in: root + "/fixtures/example", progress: progress)
        let planPath = root + "/fixtures/demo/plan.yaml"
        if !FileManager.default.fileExists(atPath: planPath) {
            // Written out (outside the repository), so report.ipynb can re-run the plan.
            try FileManager.default.createDirectory(atPath: root + "/fixtures/demo", withIntermediateDirectories: true)
            try AtomicFile.write(Data(DemoPlan.text.utf8), to: planPath)
        }
        let plan = try PlanParser.load(path: planPath)
        let status = try PlanExecution.execute(plan: plan, output: output ?? root + "/reports/demo", options: report, progress: progress)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `mapbook init`: a starter plan, commented with every option.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter analysis plan for two half maps, listing every cell kind and option with its default.")

    @Argument(help: "First half map.") var half1: String
    @Argument(help: "Second half map.") var half2: String
    @Option(name: .long, help: "Soft mask.") var mask: String?
    @Option(name: .long, help: "Full (not half) map.") var fullMap: String?
    @Option(name: .long, help: "Atomic model (PDB or mmCIF).") var model: String?
    @Option(name: .long, help: "Sequence (FASTA).") var sequence: String?
    @Option(name: .long, help: "Simulated data: the noise-free truth (adds the truth cell).") var truth: String?
    @Option(name: .long, parsing: .unconditional, help: "Voxel size override, Å.") var voxelSize: Double?
    @Option(name: .long, help: "Point-group symmetry (C1, Cn, Dn, T, O, I).") var symmetry = "C1"
    @Option(name: .long, help: "Dataset name (default: the half maps' folder name).") var name: String?
    @Option(name: [.short, .customLong("output")], help: "Plan file to write (default: NAME.yaml).") var output: String?
    @Flag(name: .long, help: "Replace an existing plan file.") var force = false

    func run() throws {
        for path in [half1, half2, mask, fullMap, model, sequence, truth].compactMap({ $0 }) where !FileManager.default.fileExists(atPath: path) {
            throw MapbookError("no such file", path: path)
        }
        if PlanDataset.order(ofSymmetry: symmetry) == nil {
            throw MapbookError("--symmetry '\(symmetry)' is not a point group; write C1, Cn, Dn, T, O or I")
        }
        if let v = voxelSize, !(v > 0 && v.isFinite) { throw MapbookError("--voxel-size must be a positive size in Å") }
        let absolute1 = URL(fileURLWithPath: half1).standardizedFileURL
        var datasetName = name ?? absolute1.deletingLastPathComponent().lastPathComponent
        if datasetName.isEmpty || !datasetName.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) { datasetName = "dataset" }
        let planPath = output ?? "\(datasetName).yaml"
        // Even with --force, never replace a file the plan itself names.
        let named = [half1, half2, mask, fullMap, model, sequence, truth].compactMap { $0 }
        try OutputSafety.checkFile(planPath, inputs: named)
        if FileManager.default.fileExists(atPath: planPath) && !force {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: planPath, isDirectory: &isFolder)
            if isFolder.boolValue { throw MapbookError("is a folder; give the plan's file name with -o", path: planPath) }
            throw MapbookError("the plan file exists; give --force to replace it or -o to choose another name", path: planPath)
        }
        try OutputSafety.checkNewFile(planPath, inputs: named, replaceExisting: force)
        if OutputSafety.sameFile(half1, half2) {
            FileHandle.standardError.write(Data("mapbook: warning: both half maps are the same file (\(half2)); the plan's FSC cells will refuse them\n".utf8))
        }
        let planDirectory = URL(fileURLWithPath: planPath).standardizedFileURL.deletingLastPathComponent().path
        func relative(_ p: String?) -> String? { p.map { RelativePath.from(directory: planDirectory, to: $0, absoluteAcrossRoot: true) } }
        let inputs = StarterPlan.Inputs(name: datasetName, halfMaps: [relative(half1)!, relative(half2)!], fullMap: relative(fullMap),
                                        mask: relative(mask), model: relative(model), sequence: relative(sequence),
                                        voxelSize: voxelSize, symmetry: symmetry, planFile: planPath, truth: relative(truth))
        let text = StarterPlan.text(inputs)
        _ = try PlanParser.parse(text, path: planPath)   // the starter plan must always be valid
        try AtomicFile.write(Data(text.utf8), to: planPath)
        print("Wrote \(planPath). Edit it, then: mapbook run \(planPath)")
    }
}

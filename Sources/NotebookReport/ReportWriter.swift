import Foundation
import Figures
import MapbookCore
import Notebook
import Reports

/// A report format.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// report.html: one self-contained page.
    case html
    /// report.pdf: multi-page, vector figures.
    case pdf
    /// report.ipynb: a Jupyter notebook mirroring the plan.
    case ipynb
}

/// How reports are written.
public struct ReportOptions: Sendable {
    /// The formats to write.
    public var formats: Set<ReportFormat> = Set(ReportFormat.allCases)
    /// A folder whose templates replace the built-in HTML templates.
    public var templateDirectory: String?
    /// The date printed on the report (and the PDF's creation date).
    public var date = Date()
    /// Progress on stderr.
    public var progress: ProgressReporter = .silent
    /// The mapbook executable writing the report: report.ipynb's code runs it when neither
    /// MAPBOOK nor PATH names one.
    public var mapbookExecutable: String?

    /// All formats, built-in templates, now.
    public init() {}
}

/// Writes the report bundle of a run (A7's "outputs per dataset"):
///
///     report.html  report.pdf  report.ipynb
///     figures/<cell>_<figure>.png|svg|pdf
///     data/<cell>_<figure>.json (every plotted series), data/<cell>_fsc.xml|fsc.tsv|report.json
///     maps/<cell>_<output>.mrc (copied, linked or left out: the plan's `report: maps:`, `ReportMaps`)
///     chimerax/session.cxc (the maps at their recommended contour levels: `ReportChimeraX`)
///     deposition/ (with a `deposition:` section: maps, mask, fsc.xml, checklist: `DepositionBundle`)
///     notebook/<cell>/cell.json (each cell's notebook outputs, which report.ipynb's code shows)
///     fsc.xml (EMDB format: the deposition's FSC, else the best-resolution one: `TopLevelFiles`)
///     plan.resolved.json  provenance.json  events.jsonl
///     summary.json (every cell's status and numbers, and the flags: for facility pages)
///
/// Everything is staged and moved into place only when complete, so a failure leaves the
/// previous report untouched.
public enum ReportWriter {
    /// The files a report puts at the top of its folder (each replaced on every run).
    public static let topLevelFiles = ["report.html", "report.pdf", "report.ipynb", "fsc.xml", "plan.resolved.json",
                                       "provenance.json", "summary.json", "events.jsonl"]

    /// Refuses a report folder (and cache folder) where writing the report would replace or
    /// delete one of `inputs`: a top-level report file, anything in the folders swapped whole
    /// (`figures/`, `data/`, `maps/`, `deposition/`, `chimerax/`), or anything in the cache. Call it before running the
    /// plan, so nothing is computed for a report that cannot be written.
    public static func checkOutputs(inputs: [String], directory: String, cacheDirectory: String) throws {
        for name in topLevelFiles { try OutputSafety.checkFile(directory + "/" + name, inputs: inputs) }
        for folder in ReportBundle.folders { try OutputSafety.checkFolder(directory + "/" + folder, inputs: inputs) }
        try OutputSafety.checkFolder(cacheDirectory, inputs: inputs)
    }

    /// Writes the bundle into `directory`; returns the files written (relative paths).
    @discardableResult
    public static func write(_ run: NotebookRun, to directory: String, options: ReportOptions = ReportOptions()) throws -> [String] {
        let progress = options.progress
        try checkOutputs(inputs: run.plan.inputFiles, directory: directory, cacheDirectory: run.provenance.cacheDirectory)
        let bundle = try ReportBundle(directory: directory)
        do {
            var written: [String] = []
            func add(_ name: String, _ data: Data) throws { try bundle.add(name, data); written.append(name) }

            progress.step("Drawing figures")
            let figures = run.cells.flatMap { record in
                (record.presentation?.figures ?? []).map { (stem: "\(record.id)_\($0.name)", figure: $0) }
            }
            let settings = run.plan.reportSettings
            let rendered = try renderAll(figures.map { ($0.stem, $0.figure.figure, $0.figure.title) }, formats: settings.figureFormats(FigureFormat.allCases),
                                         date: options.date)
            var pngs: [String: Data] = [:]
            for f in figures {
                for format in settings.figureFormats(f.figure.figure.formats) {
                    try add("figures/\(f.stem).\(format.rawValue)", rendered["\(f.stem).\(format.rawValue)"]!)
                }
                pngs[f.stem] = rendered["\(f.stem).png"]
                try add("data/\(f.stem).json", f.figure.data)
            }
            for record in run.cells {
                for file in record.presentation?.dataFiles ?? [] { try add("data/\(record.id)_\(file.name)", file.data) }
            }
            for (name, file) in TopLevelFiles.chosen(run).sorted(by: { $0.key < $1.key }) { try add(name, file.data) }
            let (maps, mapFiles) = try ReportMaps.place(run, in: bundle)
            written += mapFiles
            progress.step("Writing the ChimeraX session and the deposition bundle")
            written += try ReportChimeraX.write(run, maps: maps, directory: directory, into: bundle)
            written += try DepositionBundle.write(run, maps: maps, into: bundle)
            try add("plan.resolved.json", try ResolvedPlan.json(run.plan))
            try add("provenance.json", try JSONOutput.encode(run.provenance))
            try add("summary.json", try CanonicalJSON.encode(RunSummary(run)))
            try add("events.jsonl", Data(try run.events.map { String(decoding: try JSONPolicy.encode($0, pretty: false, nonFinite: .null), as: UTF8.self) + "\n" }.joined().utf8))

            let content = ReportContent(run: run, pngs: pngs, generated: options.date)
            if options.formats.contains(.html) {
                progress.step("Writing report.html")
                try add("report.html", Data(try HTMLReport.render(content, templateDirectory: options.templateDirectory).utf8))
            }
            if options.formats.contains(.pdf) {
                progress.step("Writing report.pdf")
                try add("report.pdf", try PDFReport.render(content, date: options.date))
            }
            if options.formats.contains(.ipynb) {
                progress.step("Writing report.ipynb")
                for cell in content.cells {
                    try add(NotebookCellOutput.path(cell: cell.record.id), try NotebookCellOutput(cell) { "figures/\($0).png" }.json())
                }
                try add("report.ipynb", try JupyterNotebook.json(content, setup: notebookSetup(run, directory: directory, options: options)))
            }
            try bundle.commit()
            return written
        } catch {
            bundle.discard()
            throw error
        }
    }

    /// Where report.ipynb's code finds the plan, the cache and mapbook, seen from `directory`.
    static func notebookSetup(_ run: NotebookRun, directory: String, options: ReportOptions) -> NotebookPython.Setup {
        let report = URL(fileURLWithPath: directory).standardizedFileURL
        let plan = URL(fileURLWithPath: run.plan.path).standardizedFileURL
        let cache = URL(fileURLWithPath: run.provenance.cacheDirectory).standardizedFileURL
        let cacheInside = cache.path.hasPrefix(report.path + "/")
        return NotebookPython.Setup(planRelative: RelativePath.from(directory: report.path, to: plan.path, absoluteAcrossRoot: true), planAbsolute: plan.path,
                                    cache: cacheInside ? String(cache.path.dropFirst(report.path.count + 1)) : cache.path,
                                    mapbookExecutable: options.mapbookExecutable, mapbookVersion: run.provenance.mapbookVersion)
    }

    /// Writes the notebook outputs of the cells of `run` that `ids` names into
    /// `directory/notebook/<cell>/` (cell.json and its figures' PNGs), each cell's folder
    /// replaced whole: what an executed report.ipynb's code cell shows after
    /// `mapbook run --cell`. The rest of the report is left as it is.
    public static func writeNotebookCells(_ run: NotebookRun, ids: Set<String>, to directory: String, options: ReportOptions = ReportOptions()) throws {
        try OutputSafety.checkFolder(directory + "/notebook", inputs: run.plan.inputFiles)
        let records = run.cells.filter { ids.contains($0.id) }
        let figures = records.flatMap { record in
            (record.presentation?.figures ?? []).map { (stem: "\(record.id)_\($0.name)", figure: $0) }
        }
        let rendered = try renderAll(figures.map { ($0.stem, $0.figure.figure, $0.figure.title) }, formats: [.png], date: options.date)
        let pngs = Dictionary(uniqueKeysWithValues: figures.map { ($0.stem, rendered["\($0.stem).png"]!) })
        let content = ReportContent(run: run, pngs: pngs, generated: options.date)
        let notebook = directory + "/notebook"
        StagingLeftovers.remove(in: notebook)
        let fm = FileManager.default
        for cell in content.cells where ids.contains(cell.record.id) {
            let id = cell.record.id
            let folder = notebook + "/" + id
            // Names StagingLeftovers knows, so a killed run's leftovers are cleared next time.
            let staging = notebook + "/.mapbook-staging-\(getpid())"
            try? fm.removeItem(atPath: staging)
            do {
                try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
                // A figure the report already holds, byte for byte, is shown from figures/: an
                // unedited notebook then shows exactly what was written. Others go beside cell.json.
                var paths: [String: String] = [:]
                for f in cell.figures {
                    if fm.contents(atPath: directory + "/figures/\(f.stem).png") == f.png {
                        paths[f.stem] = "figures/\(f.stem).png"
                    } else {
                        try AtomicFile.write(f.png, to: staging + "/\(f.stem).png")
                        paths[f.stem] = "notebook/\(id)/\(f.stem).png"
                    }
                }
                let output = NotebookCellOutput(cell) { paths[$0]! }
                try AtomicFile.write(try output.json(), to: staging + "/cell.json")
                let old = notebook + "/.old-\(id)-\(getpid())"
                let hadOld = fm.fileExists(atPath: folder)
                if hadOld { guard rename(folder, old) == 0 else { throw MapbookError("cannot replace the cell's notebook outputs", path: folder) } }
                guard rename(staging, folder) == 0 else {
                    if hadOld { rename(old, folder) }
                    throw MapbookError("cannot move the cell's notebook outputs into place: \(String(cString: strerror(errno)))", path: folder)
                }
                if hadOld { try? fm.removeItem(atPath: old) }
            } catch {
                try? fm.removeItem(atPath: staging)
                throw error
            }
        }
    }

    /// Renders every figure in every format, in parallel (one Cairo context per drawing).
    /// `formats` limits the formats (each figure's own, `Figure.formats`, when nil).
    static func renderAll(_ figures: [(stem: String, figure: any Figure, title: String)], formats: [FigureFormat]? = nil,
                          date: Date) throws -> [String: Data] {
        let jobs = figures.flatMap { f in (formats ?? f.figure.formats).filter(f.figure.formats.contains).map { (f, $0) } }
        var results = [Result<Data, Error>?](repeating: nil, count: jobs.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let (f, format) = jobs[i]
                out[i] = Result { try FigureRenderer.render(f.figure, as: format, title: f.title, date: date) }
            }
        }
        var byName: [String: Data] = [:]
        for (i, (f, format)) in jobs.enumerated() { byName["\(f.stem).\(format.rawValue)"] = try results[i]!.get() }
        return byName
    }
}

import Foundation
import MapbookCore
import MapModel

/// How a plan is run.
public struct RunOptions: Sendable {
    /// Where the cache lives (normally `<output>/cache`).
    public var cacheDirectory: String
    /// Run every cell even when a cached result exists.
    public var force = false
    /// mapbook's version (part of every cache key, so a new release recomputes).
    public var mapbookVersion: String
    /// The command line, for the provenance.
    public var commandLine: [String] = CommandLine.arguments
    /// Progress on stderr.
    public var progress: ProgressReporter = .silent
    /// Run only these cells and the cells they read from (nil: every cell). Markdown is then
    /// left out, as it may quote cells that did not run.
    public var onlyCells: Set<String>?

    /// Options with the cache in `cacheDirectory`.
    public init(cacheDirectory: String, mapbookVersion: String) {
        self.cacheDirectory = cacheDirectory
        self.mapbookVersion = mapbookVersion
    }
}

/// Runs a plan's cells in order, reusing cached results whose inputs, parameters and engine
/// are unchanged.
///
/// A cell's cache key hashes its kind, its canonical parameters, the engine revision, the
/// symmetry, and the identity of each input: a dataset file's SHA-256 (with any voxel-size
/// override), or an earlier cell's key and output name. Changing a parameter therefore changes
/// that cell's key and the keys of every cell downstream of it, and nothing else. A failing
/// cell is recorded with its message; cells that need its outputs are skipped; the others run.
public final class NotebookRunner {
    /// Bump when a change to the numerical code changes results for the same inputs and
    /// parameters: every cached result is then recomputed.
    public static let engineRevision = "1"

    let plan: Plan
    let options: RunOptions

    /// A runner for `plan`.
    public init(plan: Plan, options: RunOptions) {
        self.plan = plan
        self.options = options
    }

    /// Runs the plan. Throws only when the cache cannot be used at all; cell failures are
    /// part of the returned run.
    public func run() throws -> NotebookRun {
        let started = Date()
        let planningBefore = FFTPlanningLedger.shared.reading
        let cache = try ResultCache(directory: options.cacheDirectory)
        let hashes = FileHashes(file: options.cacheDirectory + "/file-hashes.json")
        defer { hashes.save() }
        var events = [RunEvent(time: UTCTime.string(started, .isoMilliseconds), event: "run_start")]

        let values = RunValues(plan: plan, hashes: hashes, lastUse: plan.lastUses())
        let environment = CellEnvironment(cache: cache, values: values, datasetVoxels: largestDatasetBox())
        let inputs = provenanceInputs(values)
        var records: [String: CellRecord] = [:]
        var entries: [NotebookEntry?] = Array(repeating: nil, count: plan.cells.count)
        let selected = options.onlyCells.map(plan.cellsNeeded(for:))
        let count = selected?.count ?? plan.analysisCells.count
        var analysisIndex = -1, number = 0
        for (index, cell) in plan.cells.enumerated() {
            guard case .analysis(let a) = cell else { continue }
            analysisIndex += 1
            defer { values.release(after: analysisIndex) }
            if let selected, !selected.contains(a.id) { continue }
            number += 1
            let outcome = runCell(a, tag: "[\(number)/\(count)] \(a.id)", environment: environment, records: records)
            records[a.id] = outcome.record
            entries[index] = .cell(outcome.record)
            events += outcome.events
        }
        options.progress.finish()

        // Markdown last: it may quote numbers of any cell.
        if selected == nil { renderMarkdown(into: &entries, records: records) }
        let finished = Date()
        events.append(RunEvent(time: UTCTime.string(finished, .isoMilliseconds), event: "run_end", seconds: finished.timeIntervalSince(started)))
        let all = entries.compactMap { $0 }
        var provenance = provenance(of: all, inputs: inputs, started: started, finished: finished)
        provenance.fftPlanning = FFTPlanningLedger.shared.reading.since(planningBefore)
        return NotebookRun(plan: plan, entries: all, provenance: provenance, events: events)
    }

    /// Fills the markdown cells' slots of `entries`, their references to numbers replaced by
    /// the values in `records` ("n/a", with the reason, when the cell did not succeed).
    func renderMarkdown(into entries: inout [NotebookEntry?], records: [String: CellRecord]) {
        for (index, cell) in plan.cells.enumerated() {
            guard case .markdown(let md) = cell else { continue }
            entries[index] = .markdown(MarkdownTemplate.render(md.text) { r in
                guard let rec = records[r.source] else { return "n/a" }
                guard rec.succeeded else { return "n/a (cell '\(r.source)' \(rec.status.rawValue))" }
                return rec.numbers[r.output]?.formatted ?? "n/a"
            })
        }
    }

    /// The run's provenance: versions, host, timings, the dataset files and each cell's outcome.
    func provenance(of entries: [NotebookEntry], inputs: [Provenance.Input], started: Date, finished: Date) -> Provenance {
        let cellRecords = entries.compactMap { e -> CellRecord? in if case .cell(let c) = e { return c } else { return nil } }
        return Provenance(
            mapbookVersion: options.mapbookVersion, engineRevision: Self.engineRevision, commandLine: options.commandLine,
            workingDirectory: FileManager.default.currentDirectoryPath, host: ProcessInfo.processInfo.hostName,
            threads: Parallelism.threads, started: UTCTime.string(started, .isoMilliseconds), finished: UTCTime.string(finished, .isoMilliseconds),
            wallSeconds: finished.timeIntervalSince(started), planPath: plan.path, planSHA256: SHA256.hex(plan.text),
            inputs: inputs,
            cells: cellRecords.map { Provenance.Cell(id: $0.id, kind: $0.kind, status: $0.status, key: $0.key, wallSeconds: $0.wallSeconds,
                                                     peakMemoryBytes: $0.peakMemoryBytes, estimatedPeakMemoryBytes: $0.estimatedPeakMemoryBytes,
                                                     fftPlanningSeconds: $0.fftPlanningSeconds, message: $0.message) },
            cacheDirectory: options.cacheDirectory)
    }

    // MARK: memory

    /// Voxels of the largest map the dataset names, from the headers (0 when none can be read:
    /// the cells then fail on reading it, with the reason).
    func largestDatasetBox() -> Int {
        plan.dataset.files.filter { PlanDataset.mapFields.contains($0.field) }
            .map { plan.resolvedPath($0.path) }
            .compactMap { path in (try? InputFile.requireRegular(path)) == nil ? nil : try? MRCFile.checkedGrid(path: path).count }.max() ?? 0
    }

    // MARK: keys

    func cacheKey(_ a: AnalysisCell, values: RunValues, records: [String: CellRecord]) throws -> String {
        var text = "mapbook notebook cell v1\n"
        text += "mapbook \(options.mapbookVersion)\nengine \(Self.engineRevision)\n"
        text += "kind \(a.kind) revision \(type(of: a.cell).revision)\nsymmetry_order \(plan.dataset.symmetryOrder)\n"
        text += "parameters \(String(decoding: (try? CanonicalJSON.encode(AnyEncodable(a.cell), pretty: false)) ?? Data(), as: UTF8.self))\n"
        for input in a.cell.inputs {
            let r = input.reference
            let identity: String
            if r.isDataset {
                identity = try values.datasetIdentity(r.output)
            } else {
                guard let key = records[r.source]?.key else { throw MapbookError("internal: no key for cell '\(r.source)'") }
                identity = "cell \(key) \(r.output)"
            }
            text += "input \(input.key) \(r) \(identity)\n"
        }
        return SHA256.hex(text)
    }

    /// Every dataset file with its hash (files hashed in parallel: reading dominates).
    func provenanceInputs(_ values: RunValues) -> [Provenance.Input] {
        let files = plan.dataset.files
        var out = [Provenance.Input?](repeating: nil, count: files.count)
        out.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                let f = files[i]
                let resolved = values.resolvedPath(f.path)
                do {
                    let (digest, bytes) = try values.hashes.hash(resolved)
                    slots[i] = Provenance.Input(field: f.field, path: f.path, resolvedPath: resolved, sha256: digest, bytes: bytes, problem: nil)
                } catch {
                    slots[i] = Provenance.Input(field: f.field, path: f.path, resolvedPath: resolved, sha256: nil, bytes: nil, problem: message(error))
                }
            }
        }
        return out.map { $0! }
    }

    func message(_ error: Error) -> String {
        if let e = error as? MapbookError { return e.description }
        return "\(error)"
    }

    /// A cell's failure in words: a refused parameter value is placed where the plan writes it
    /// (`plan.yaml:12:5: key value reason`), as a plan problem is.
    func message(_ error: Error, cell a: AnalysisCell) -> String {
        guard let p = error as? ParameterProblem else { return message(error) }
        let place = a.parameterPositions[p.key] ?? a.position
        return PlanProblem(p.description, at: place).error(path: plan.path).description
    }

    // MARK: typed work (generic, so each kind's Result type is used directly)

    static func execute<C: NotebookCell>(_ cell: C, context: CellContext) throws -> (Data, [String: Quantity], [String: Volume]) {
        let product = try cell.run(context)
        return (try CanonicalJSON.encode(product.result, pretty: false), product.numbers, product.maps)
    }

    static func present<C: NotebookCell>(_ cell: C, result: Data, context: PresentationContext) throws -> CellPresentation {
        cell.present(try CanonicalJSON.decode(C.Result.self, from: result), context)
    }
}

import Foundation
import MapbookCore
import MapModel

/// One analysis cell's turn in a run: skip check, cache key, cache hit or execution.
extension NotebookRunner {
    /// What every cell's turn reads besides the cell itself; the same for the whole run.
    struct CellEnvironment {
        let cache: ResultCache
        let values: RunValues
        /// Voxels of the dataset's largest map, for the memory check before a cell runs.
        let datasetVoxels: Int
    }

    /// What one cell's turn produced: its record and the events it logged, in order.
    struct CellOutcome {
        var record: CellRecord
        var events: [RunEvent] = []

        /// Ends the turn: `line` on the progress, then the cell_end event with the record's
        /// status and message.
        mutating func end(_ line: String, seconds: Double? = nil, progress: ProgressReporter) {
            progress.step(line)
            events.append(RunEvent(time: UTCTime.string(Date(), .isoMilliseconds), event: "cell_end", cell: record.id, status: record.status,
                                   seconds: seconds, message: record.message))
        }
    }

    /// Cell `a`'s turn (`tag` names it in progress lines). `records` holds the cells before it.
    /// The cell is skipped when a cell it reads from did not succeed, fails when its key
    /// cannot be made, is reused when the cache holds its key, and runs otherwise.
    func runCell(_ a: AnalysisCell, tag: String, environment env: CellEnvironment,
                 records: [String: CellRecord]) -> CellOutcome {
        var outcome = CellOutcome(record: CellRecord(
            id: a.id, kind: a.kind, title: a.title, status: .skipped, message: nil, key: nil, parameters: a.parametersJSON,
            numbers: [:], mapFiles: [:], presentation: nil, wallSeconds: 0, peakMemoryBytes: nil))
        if let reason = skipReason(a, records: records) {
            outcome.record.message = reason
            outcome.end("\(tag) skipped: \(reason)", progress: options.progress)
            return outcome
        }
        let key: String
        do {
            key = try cacheKey(a, values: env.values, records: records)
        } catch {
            outcome.record.status = .failed
            outcome.record.message = message(error, cell: a)
            outcome.end("\(tag) failed: \(outcome.record.message!)", progress: options.progress)
            return outcome
        }
        outcome.record.key = key
        let presentationContext = PresentationContext(
            cellID: a.id, title: a.title, dataset: plan.dataset,
            inputLabels: Dictionary(a.cell.inputs.map { ($0.reference.description, env.values.label($0.reference)) },
                                    uniquingKeysWith: { x, _ in x }))
        // An entry that cannot be presented (written by an older mapbook) is simply recomputed.
        if !options.force, let hit = env.cache.lookup(key),
           let presentation = try? Self.present(a.cell, result: hit.result, context: presentationContext) {
            outcome.record.presentation = presentation
            outcome.record.status = .cached
            outcome.record.numbers = hit.record.numbers
            outcome.record.mapFiles = hit.mapPaths
            outcome.record.wallSeconds = hit.record.wallSeconds
            outcome.record.peakMemoryBytes = hit.record.peakMemoryBytes
            env.values.addCellOutputs(a.id, record: outcome.record, maps: [:])
            outcome.end("\(tag) (\(a.kind)): reused from the cache", seconds: 0, progress: options.progress)
            return outcome
        }
        execute(a, key: key, tag: tag, presentationContext: presentationContext, environment: env, outcome: &outcome)
        return outcome
    }

    /// Why cell `a` cannot run: a cell it reads from was skipped or failed (nil when none was).
    func skipReason(_ a: AnalysisCell, records: [String: CellRecord]) -> String? {
        guard let blocker = a.cell.inputs.first(where: { !$0.reference.isDataset && !(records[$0.reference.source]?.succeeded ?? false) })
        else { return nil }
        let upstream = records[blocker.reference.source]
        return "needs \(blocker.reference), but cell '\(blocker.reference.source)' \(upstream?.status == .skipped ? "was skipped" : "failed")"
    }

    /// Runs cell `a` once its memory is known to fit, stores its result in the cache under
    /// `key` and records it as executed, or as failed with the error's message.
    func execute(_ a: AnalysisCell, key: String, tag: String, presentationContext: PresentationContext,
                 environment env: CellEnvironment, outcome: inout CellOutcome) {
        let progress = options.progress
        let memory = memoryEstimate(a, datasetVoxels: env.datasetVoxels)
        outcome.record.estimatedPeakMemoryBytes = Int(clamping: memory.required)
        progress.note("cell '\(a.id)': estimated peak \(Self.megabytes(memory.required)) MB (\(Self.megabytes(memory.available)) MB available)")
        progress.step("\(tag) (\(a.kind)): running")
        outcome.events.append(RunEvent(time: UTCTime.string(Date(), .isoMilliseconds), event: "cell_start", cell: a.id))
        // Buffers an earlier cell left in the pool would count in this cell's peak (and hold
        // memory it may need): each cell starts with the pool empty.
        LargeBufferPool.shared.drain()
        ResidentMemory.resetPeak()
        let planningBefore = FFTPlanningLedger.shared.reading
        let t0 = Date()
        defer { outcome.record.fftPlanningSeconds = FFTPlanningLedger.shared.reading.since(planningBefore).seconds }
        do {
            try memory.requireFits()
            let context = CellContext(cellID: a.id, dataset: plan.dataset, progress: progress, store: env.values)
            let (result, numbers, maps) = try Self.execute(a.cell, context: context)
            outcome.record.wallSeconds = Date().timeIntervalSince(t0)
            outcome.record.peakMemoryBytes = ResidentMemory.peakBytes()
            let cacheRecord = ResultCache.Record(key: key, kind: a.kind, cell: a.id, mapbookVersion: options.mapbookVersion,
                                                 numbers: numbers, maps: maps.keys.sorted(), wallSeconds: outcome.record.wallSeconds,
                                                 peakMemoryBytes: outcome.record.peakMemoryBytes)
            outcome.record.mapFiles = try env.cache.store(cacheRecord, result: result, maps: maps)
            outcome.record.numbers = numbers
            outcome.record.presentation = try Self.present(a.cell, result: result, context: presentationContext)
            outcome.record.status = .executed
            env.values.addCellOutputs(a.id, record: outcome.record, maps: maps)
            outcome.end(String(format: "%@: done in %.2f s, measured peak %@ MB", tag, outcome.record.wallSeconds,
                               outcome.record.peakMemoryBytes.map { Self.megabytes(UInt64($0)) } ?? "unknown"),
                        seconds: outcome.record.wallSeconds, progress: progress)
        } catch {
            outcome.record.wallSeconds = Date().timeIntervalSince(t0)
            outcome.record.status = .failed
            outcome.record.message = message(error, cell: a)
            outcome.record.presentation = nil
            outcome.end("\(tag) failed: \(outcome.record.message!)", seconds: outcome.record.wallSeconds, progress: progress)
        }
    }

    /// Cell `a`'s peak memory, estimated before it runs: its own map-sized buffers
    /// (`peakMapCopies`) plus the maps the run holds for other cells (`Plan.heldMapCopies(at:)`),
    /// of the dataset's largest box, and a fixed allowance.
    func memoryEstimate(_ a: AnalysisCell, datasetVoxels: Int, available: UInt64? = nil) -> MemoryEstimate {
        let index = plan.analysisCells.firstIndex { $0.id == a.id } ?? 0
        return MemoryEstimate(work: "cell '\(a.id)' (\(a.kind))", voxels: datasetVoxels,
                              mapCopies: a.cell.peakMapCopies + plan.heldMapCopies(at: index), available: available)
    }

    /// Bytes as whole megabytes (10⁶), as the progress lines print them.
    static func megabytes(_ bytes: UInt64) -> String { String(Int((Double(bytes) / 1e6).rounded())) }

    /// Refuses the run before any work when a cell's estimated peak memory exceeds what is
    /// available (the largest such cell is named, in one line); cells a selection leaves out
    /// are not counted. Cached cells are counted too: whether a result is cached is only
    /// known once the inputs are hashed. `available` replaces the system's reading (tests).
    public func requireMemoryFits(available: UInt64? = nil) throws {
        let voxels = largestDatasetBox()
        let selected = options.onlyCells.map(plan.cellsNeeded(for:))
        let estimates = plan.analysisCells.filter { selected?.contains($0.id) ?? true }.map { memoryEstimate($0, datasetVoxels: voxels, available: available) }
        if let worst = estimates.filter({ !$0.fits }).max(by: { $0.required < $1.required }) {
            throw MapbookError(worst.refusal(), path: plan.path)
        }
    }
}

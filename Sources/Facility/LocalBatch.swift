import Foundation
import MapbookCore

/// Runs a batch on this machine, at most `jobs` datasets at a time, then writes the index.
public enum LocalBatch {
    /// How one dataset is run: in this process, or as a child `mapbook batch task` process
    /// (isolates a crash, and each child has its own thread pool).
    public enum Launcher: Sendable {
        /// `BatchTask.run` in this process.
        case inProcess(BatchTask.Options)
        /// `EXECUTABLE batch task MANIFEST --output OUT --index I` plus `extraArguments`.
        case process(executable: String, extraArguments: [String])
    }

    /// Runs every entry of `manifest` (or those in `only`); returns their final statuses in
    /// manifest order, then builds the index.
    @discardableResult
    public static func run(_ manifest: BatchManifest, layout: BatchLayout, jobs: Int, launcher: Launcher,
                           only: Set<String>? = nil, progress: ProgressReporter = .silent,
                           mapbookVersion: String) throws -> [TaskStatus] {
        try layout.prepare()
        let indices = manifest.entries.indices.filter { only?.contains(manifest.entries[$0].name) ?? true }
        let work = WorkList(indices: indices, count: manifest.entries.count)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, indices.count)) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while let i = work.next() {
                    let entry = manifest.entries[i]
                    progress.step("[\(entry.name)] started")
                    do {
                        let status = try runOne(i, entry: entry, manifest: manifest, layout: layout, launcher: launcher)
                        work.finish(i, status)
                        progress.step("[\(entry.name)] \(status.state.rawValue)" + String(format: " in %.1f s", status.seconds ?? 0)
                                      + (status.message.map { ": \($0)" } ?? ""))
                    } catch {
                        work.fail(error)
                    }
                }
            }
        }
        group.wait()
        if let error = work.error { throw error }
        let results = work.results
        try FacilityIndex.build(manifest: manifest, layout: layout, mapbookVersion: mapbookVersion).write(to: layout)
        return indices.compactMap { results[$0] }
    }

    static func runOne(_ index: Int, entry: BatchManifest.Entry, manifest: BatchManifest, layout: BatchLayout, launcher: Launcher) throws -> TaskStatus {
        switch launcher {
        case .inProcess(let options):
            return try BatchTask.run(entry, layout: layout, options: options)
        case .process(let executable, let extra):
            let log = layout.logs + "/local_\(entry.name).log"
            let p = try ExternalCommand.run(executable, ["batch", "task", manifest.path, "--output", layout.root, "--index", "\(index)"] + extra,
                                            log: log)
            if let s = TaskStatus.read(layout.status(entry.name)), s.state != .running { return s }
            // The child died before recording its end (a crash or a signal).
            var s = TaskStatus.read(layout.status(entry.name))
                ?? TaskStatus(dataset: entry.name, state: .failed, started: UTCTime.string(Date(), .iso), host: ProcessInfo.processInfo.hostName, pid: p.processIdentifier)
            s.state = .failed
            s.exitStatus = p.status
            s.finished = UTCTime.string(Date(), .iso)
            s.message = "the task process ended with \(p.signalled ? "signal" : "status") \(p.status) before writing its report; see \(log)"
            try s.write(layout.status(entry.name))
            return s
        }
    }
}

/// The datasets still to start and the finished ones, shared by the worker threads.
private final class WorkList: @unchecked Sendable {
    private let lock = NSLock()
    private let indices: [Int]
    private var position = 0
    private(set) var results: [TaskStatus?]
    private(set) var error: Error?

    init(indices: [Int], count: Int) {
        self.indices = indices
        results = Array(repeating: nil, count: count)
    }

    /// The next entry to run; nil when all have started or one could not be run at all.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard position < indices.count, error == nil else { return nil }
        defer { position += 1 }
        return indices[position]
    }

    func finish(_ i: Int, _ status: TaskStatus) { lock.lock(); results[i] = status; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

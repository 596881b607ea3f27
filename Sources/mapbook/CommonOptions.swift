import ArgumentParser
import Foundation
import MapbookCore
import MapModel

/// Options every compute command takes.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Worker threads for FFTs and loops (default: all cores).")
    var threads: Int?

    @Flag(name: .long, help: "Print no progress on stderr.")
    var quiet = false

    @Option(name: .long, parsing: .unconditional, help: "Memory to allow, GiB, instead of what the system reports available (also MAPBOOK_MAX_MEMORY).")
    var maxMemory: Double?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let maxMemory, !(maxMemory > 0 && maxMemory.isFinite) { throw ValidationError("--max-memory must be a positive number of GiB") }
    }

    /// Applies the thread count (capped at the machine's cores, with a note) and the memory
    /// override, and returns the progress reporter to use.
    func apply() -> ProgressReporter {
        let progress = quiet ? ProgressReporter.silent : ProgressReporter()
        if let threads {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            if threads > cores { progress.note("--threads \(threads) is more than the \(cores) cores of this machine; using \(cores)") }
            Parallelism.threads = min(threads, cores)
        }
        if let maxMemory { MemoryEstimate.availableOverride = UInt64(maxMemory * 1_073_741_824) }
        return progress
    }
}

/// Refuses, before any work, single-file outputs that would replace an input, that name the
/// same file twice, or that exist when `force` is not given.
func checkSingleFileOutputs(_ outputs: [String?], inputs: [String], force: Bool) throws {
    let given = outputs.compactMap { $0 }
    for (i, path) in given.enumerated() {
        try OutputSafety.checkNewFile(path, inputs: inputs, replaceExisting: force)
        if given[..<i].contains(where: { OutputSafety.sameFile($0, path) }) {
            throw MapbookError("the same file is given for two outputs", path: path)
        }
    }
}

/// The memory check every command makes before reading maps: the estimate from the headers
/// of `paths` (the largest box), printed as progress, refused in one line when it does not fit.
enum MemoryCheck {
    static func require(_ work: String, maps paths: [String], copies: Double, advice: String? = nil, progress: ProgressReporter) throws {
        var voxels = 0
        var largest: String? = nil
        for path in paths {
            let grid = try MRCFile.checkedGrid(path: path)
            if grid.count > voxels { voxels = grid.count; largest = path }
        }
        let estimate = MemoryEstimate(work: work, voxels: voxels, mapCopies: copies)
        progress.step("Memory: \(estimate.summary)")
        try estimate.requireFits(path: largest, advice: advice)
    }
}

/// Loading maps for commands: reads the file and applies a voxel-size override.
enum MapLoader {
    static func load(_ path: String, voxelSize: Double? = nil) throws -> Volume {
        var volume = try MRCFile.read(path: path).volume
        if let voxelSize {
            if let why = VoxelGrid.voxelSizeProblem(voxelSize) { throw MapbookError("--angpix \(voxelSize) Å is \(why)") }
            volume.grid.voxelSize = SIMD3(repeating: voxelSize)
        }
        return volume
    }

    /// Reads two half maps that must lie on `reference`'s grid (the map they belong to, read
    /// from `referencePath`): each is checked against it, then the pair against each other,
    /// and both take the reference's placement exactly.
    static func halves(_ paths: [String], on reference: Volume, referencePath: String, voxelSize: Double? = nil) throws -> (Volume, Volume) {
        let loaded = try loadAll(paths, voxelSize: voxelSize)
        for (path, h) in zip(paths, loaded) {
            if let why = reference.grid.mismatch(with: h.grid) { throw MapbookError("does not match \(referencePath): \(why)", path: path) }
        }
        var (h1, h2) = try HalfMapPair.checked(loaded[0], loaded[1], paths: (paths[0], paths[1]))
        h1.grid = reference.grid; h2.grid = reference.grid
        return (h1, h2)
    }

    /// Reads several maps at once, one thread each: reading is dominated by page faults and
    /// copies that parallelise well. Errors are reported for the first failing path in order.
    static func loadAll(_ paths: [String], voxelSize: Double? = nil) throws -> [Volume] {
        var results = [Result<Volume, Error>?](repeating: nil, count: paths.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: paths.count) { i in
                out[i] = Result { try load(paths[i], voxelSize: voxelSize) }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Runs independent output writers at once (each writes its own file).
    static func writeAll(_ writers: [() throws -> Void]) throws {
        var errors = [Error?](repeating: nil, count: writers.count)
        errors.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: writers.count) { i in
                do { try writers[i]() } catch { out[i] = error }
            }
        }
        if let e = errors.compactMap({ $0 }).first { throw e }
    }

    /// The first label of every map mapbook writes.
    static func label(_ what: String) -> String {
        "mapbook \(MapbookVersion.string) \(what) \(UTCTime.string(Date(), .labelMinutes))"
    }
}

/// Formats numbers for tables on stdout.
func fmt(_ x: Double, _ digits: Int = 3) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : (x.isNaN ? "nan" : "inf")
}

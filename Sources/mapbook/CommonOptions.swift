import ArgumentParser
import Foundation
import MapbookCore
import MapModel

/// Options every compute command takes.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads for FFTs and loops (default: all cores).")
    var threads: Int?

    @Flag(name: .long, help: "Print no progress on stderr.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Applies the thread count and returns the progress reporter to use.
    func apply() -> ProgressReporter {
        if let threads { Parallelism.threads = threads }
        return quiet ? .silent : ProgressReporter()
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
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return "mapbook \(MapbookVersion.string) \(what) \(f.string(from: Date()))"
    }
}

/// Formats numbers for tables on stdout.
func fmt(_ x: Double, _ digits: Int = 3) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : (x.isNaN ? "nan" : "inf")
}

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
            guard voxelSize > 0, voxelSize.isFinite else { throw MapbookError("--angpix must be a positive size in Å") }
            volume.grid.voxelSize = SIMD3(repeating: voxelSize)
        }
        return volume
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

import Foundation
import MapModel
import Notebook

/// Memory and time for one dataset's task, from its box size (read from the map headers, so
/// nothing large is read) and the plan's cells.
///
/// Memory: a fixed 256 MiB plus 40 float32 copies of the box (the half maps, their transforms,
/// masks and the sharpened maps a post-processing cell holds at once), 40 more with a local-
/// resolution cell. Time: a minute plus, per cell, a cost per million voxels on one core (fsc
/// 5 s, postprocess 20 s, local_resolution 150 s, other kinds 30 s, montage and compare 1 s),
/// times three for safety, divided by the cores of the task, at least 5 minutes.
public struct ResourceEstimate: Sendable, Equatable {
    /// Box size in voxels (the largest of the dataset's maps).
    public var box: [Int]
    /// Memory, MiB.
    public var memoryMiB: Int
    /// Wall time, minutes.
    public var minutes: Int

    static let cellSecondsPerMegavoxel: [String: Double] = ["fsc": 5, "postprocess": 20, "local_resolution": 150, "montage": 1, "compare": 1]

    /// The estimate for `plan` with `cpus` cores; `files` are the dataset's files, absolute.
    public static func estimate(plan: Plan, files: [(field: String, path: String)], cpus: Int) throws -> ResourceEstimate {
        var box = [0, 0, 0]
        var voxels = 0
        for f in files where ["half_map_1", "half_map_2", "full_map", "mask"].contains(f.field) {
            let h = try MRCFile.readHeader(path: f.path)
            if h.nx * h.ny * h.nz > voxels { voxels = h.nx * h.ny * h.nz; box = [h.nx, h.ny, h.nz] }
        }
        let kinds = plan.analysisCells.map(\.kind)
        let copies = 40.0 + (kinds.contains("local_resolution") ? 40 : 0)
        let memory = 256 + Int((Double(voxels) * 4 * copies / 1_048_576).rounded(.up))
        let megavoxels = Double(voxels) / 1e6
        let seconds = 60 + 3 * kinds.reduce(0) { $0 + megavoxels * (cellSecondsPerMegavoxel[$1] ?? 30) } / Double(max(1, cpus))
        return ResourceEstimate(box: box, memoryMiB: memory, minutes: max(5, Int((seconds / 60).rounded(.up))))
    }

    /// Slurm's time format, D-HH:MM:SS or HH:MM:SS.
    public static func slurmTime(minutes: Int) -> String {
        let d = minutes / 1440, h = (minutes % 1440) / 60, m = minutes % 60
        return d > 0 ? String(format: "%d-%02d:%02d:00", d, h, m) : String(format: "%02d:%02d:00", h, m)
    }
}

import Foundation
import MapModel
import Notebook

/// Memory and time for one dataset's task, from its box size (read from the map headers, so
/// nothing large is read) and the plan's cells.
///
/// Memory: a fixed 256 MiB plus 40 float32 copies of the box (the half maps, their transforms,
/// masks and the sharpened maps a post-processing cell holds at once), plus the most extra
/// copies any of the plan's kinds asks for (`BatchCost.extraMapCopies`: 40 for local
/// resolution). Time: a minute plus, per cell, its kind's seconds per million voxels on one
/// core (`BatchCost.secondsPerMegavoxel`), times three for safety, divided by the cores of the
/// task, at least 5 minutes.
public struct ResourceEstimate: Sendable, Equatable {
    /// Box size in voxels (the largest of the dataset's maps).
    public var box: [Int]
    /// Memory, MiB.
    public var memoryMiB: Int
    /// Wall time, minutes.
    public var minutes: Int

    /// The estimate for `plan` with `cpus` cores; `files` are the dataset's files, absolute.
    public static func estimate(plan: Plan, files: [(field: String, path: String)], cpus: Int) throws -> ResourceEstimate {
        var box = [0, 0, 0]
        var voxels = 0
        for f in files where PlanDataset.mapFields.contains(f.field) {
            let h = try MRCFile.readHeader(path: f.path)
            if h.nx * h.ny * h.nz > voxels { voxels = h.nx * h.ny * h.nz; box = [h.nx, h.ny, h.nz] }
        }
        let costs = plan.analysisCells.map { type(of: $0.cell).batchCost }
        let copies = 40.0 + (costs.map(\.extraMapCopies).max() ?? 0)
        let memory = 256 + Int((Double(voxels) * 4 * copies / 1_048_576).rounded(.up))
        let megavoxels = Double(voxels) / 1e6
        let seconds = 60 + 3 * costs.reduce(0) { $0 + megavoxels * $1.secondsPerMegavoxel } / Double(max(1, cpus))
        return ResourceEstimate(box: box, memoryMiB: memory, minutes: max(5, Int((seconds / 60).rounded(.up))))
    }

    /// Slurm's time format, D-HH:MM:SS or HH:MM:SS.
    public static func slurmTime(minutes: Int) -> String {
        let d = minutes / 1440, h = (minutes % 1440) / 60, m = minutes % 60
        return d > 0 ? String(format: "%d-%02d:%02d:00", d, h, m) : String(format: "%02d:%02d:00", h, m)
    }
}

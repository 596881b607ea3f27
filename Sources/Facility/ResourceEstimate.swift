import Foundation
import MapbookCore
import MapModel
import Notebook

/// Memory and time for one dataset's task, from its box size (read from the map headers, so
/// nothing large is read) and the plan's cells.
///
/// Memory: what `mapbook run` will check before its largest cell — the plan's peak map count
/// (`Plan.peakMapCopies`: a cell's own buffers plus the maps held for later cells) of the box,
/// and the run's fixed allowance (`MemoryEstimate.fixedBytes`) — with half as much again on
/// top, because a scheduler kills a task that exceeds its request and the estimates are
/// measured on simulated data. Time: a minute plus, per cell, its kind's seconds per million
/// voxels on one core (`BatchCost.secondsPerMegavoxel`), times three for safety, divided by the
/// cores of the task, at least 5 minutes.
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
        let run = MemoryEstimate(work: "the plan", voxels: voxels, mapCopies: plan.peakMapCopies, available: .max)
        let memory = Int((1.5 * Double(run.required) / 1_048_576).rounded(.up))
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

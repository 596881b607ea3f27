/// A kind's share of a batch task's Slurm request (`NotebookCell.batchCost`), so the facility
/// prices a plan from its cells without knowing kinds by name. Generous on purpose: a task
/// that runs out of memory or time is killed and has to be resubmitted.
public struct BatchCost: Sendable, Equatable {
    /// Wall seconds per million voxels of the box on one core.
    public var secondsPerMegavoxel: Double
    /// Map-sized float32 copies to reserve beyond the task's base (a local-resolution sweep
    /// holds many at once).
    public var extraMapCopies: Double

    /// A cost; the defaults are those of a kind that declares none.
    public init(secondsPerMegavoxel: Double = 30, extraMapCopies: Double = 0) {
        self.secondsPerMegavoxel = secondsPerMegavoxel; self.extraMapCopies = extraMapCopies
    }
}

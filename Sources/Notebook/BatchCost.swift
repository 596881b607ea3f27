/// A kind's share of a batch task's Slurm time request (`NotebookCell.batchCost`), so the facility
/// prices a plan from its cells without knowing kinds by name. Generous on purpose: a task
/// that runs out of memory or time is killed and has to be resubmitted.
public struct BatchCost: Sendable, Equatable {
    /// Wall seconds per million voxels of the box on one core.
    public var secondsPerMegavoxel: Double

    /// A cost; the default is that of a kind that declares none. (Memory is not priced here:
    /// every cell declares its peak, `NotebookCell.peakMapCopies`.)
    public init(secondsPerMegavoxel: Double = 30) {
        self.secondsPerMegavoxel = secondsPerMegavoxel
    }
}

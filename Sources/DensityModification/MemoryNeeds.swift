import Foundation
import MapbookCore
import MapModel

extension DensityModification {
    /// Map-sized buffers held at the peak.
    ///
    /// The halves are processed one after the other, so the peak does not grow with threads:
    /// it is the original and combined spectra of both halves, the two modified spectra, the map
    /// being modified, its local-rms work map, its mask and a spare (a model adds two spectra,
    /// the model map of each half), plus the two output half maps and the final map at the end,
    /// all of one map's size (4 bytes a voxel; a half spectrum is the same to within 1/nx).
    /// Per-thread scratch is a few shell accumulators and one line of the distance transform.
    ///
    /// Building the model ensembles comes before the cycles and needs less: besides the
    /// original spectra and the half-map difference, a copy of one half's spectrum and its
    /// low-passed map, the ensemble's sum, one member's map and its spectrum, and the first
    /// half's finished model spectrum — about nine maps.
    /// Measured with `bench/e2e_512.sh` (model and sequence): 1.2 maps above the earlier 14 at
    /// 256³ and 512³; 16 with a model keeps a margin.
    public static func peakMapCopies(withModel: Bool) -> Double { withModel ? 16 : 14 }

    /// The memory estimate for half maps on `grid`.
    public static func memoryEstimate(grid: VoxelGrid, withModel: Bool, available: UInt64? = nil) -> MemoryEstimate {
        MemoryEstimate(work: "density modification", voxels: grid.count, mapCopies: peakMapCopies(withModel: withModel), available: available)
    }

    /// What to do when the box does not fit.
    public static let memoryAdvice = "crop the half maps to a box about 1.3× the molecule (which also makes the solvent fraction meaningful) or bin them"
}

import Foundation
import MapbookCore
import MapModel
import ModelMaps

/// Atom inclusion as EMDB's validation pages show it (Lawson et al. 2021, NAR 49:D456; wwPDB
/// EM validation report): the fraction of the model's atoms (hydrogens left out) whose map
/// value, interpolated at the atom centre, is at or above the contour level. Shown at the
/// recommended contour level and as a curve against the level.
public struct AtomInclusion: Sendable, Equatable {
    /// The map value at each scored atom (trilinear interpolation between the 8 surrounding
    /// voxel centres); nil for an atom outside the box, which counts as not included.
    public let values: [Float?]
    /// The included values, ascending, for fractions at any level in O(log n).
    private let sorted: [Float]

    /// The values of `map` at the scored atoms of `model`.
    public init(map: Volume, model: AtomicModel) {
        self.init(values: ModelValidation.scoredAtoms(model).map { Self.interpolate(map, at: $0.position) })
    }

    /// Inclusion from values already interpolated (nil: outside the box).
    public init(values: [Float?]) {
        self.values = values
        sorted = values.compactMap { $0 }.sorted()
    }

    /// The fraction of atoms whose value is ≥ `level`; nil when there are no atoms.
    public func fraction(atLevel level: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        // First index whose value reaches the level: everything from there up is included.
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Double(sorted[mid]) >= level { hi = mid } else { lo = mid + 1 }
        }
        return Double(sorted.count - lo) / Double(values.count)
    }

    /// Inclusion against contour level: `count` levels evenly spaced from `range`'s lower to
    /// upper bound, each with its fraction. Nil when there are no atoms or count < 2.
    public func curve(levels range: ClosedRange<Double>, count: Int = 50) -> [(level: Double, fraction: Double)]? {
        guard count >= 2, !values.isEmpty else { return nil }
        return (0..<count).map { i in
            let level = range.lowerBound + (range.upperBound - range.lowerBound) * Double(i) / Double(count - 1)
            return (level, fraction(atLevel: level)!)
        }
    }

    /// The contour level mapbook recommends when none is given: the level at which the map
    /// encloses the model's volume. EMDB uses the author's recommended level (in the entry's
    /// header); without one, the level whose enclosed volume equals the volume the model
    /// occupies is the natural choice. The model's volume is taken as the voxels within the
    /// CC_mask radius of its atoms (`MapModelCorrelation.maskRadius` at `resolution` and the
    /// mean B), so the level is the N-th highest map value, N = that voxel count — the same
    /// N that CC_volume and CC_peaks use.
    public static func recommendedLevel(map: Volume, model: AtomicModel, resolution d: Double) throws -> Double {
        let atoms = ModelValidation.scoredAtoms(model)
        guard !atoms.isEmpty else { throw MapbookError("the model has no atoms other than hydrogens") }
        guard d > 0, d.isFinite else { throw MapbookError("the resolution must be a positive number of Å, not \(d)") }
        let meanB = atoms.reduce(0) { $0 + $1.bFactor } / Double(atoms.count)
        let radius = MapModelCorrelation.maskRadius(resolution: d, bFactor: max(0, meanB))
        let inside = ModelMask.binary(AtomicModel(atoms: atoms), grid: map.grid, radius: radius)
        let n = inside.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard n > 0 else { throw MapbookError("no voxel lies within \(radius) Å of an atom: the model misses the map") }
        return Double(MapModelCorrelation.thresholdForHighest(map, count: n))
    }

    /// Trilinear interpolation of `map` at a position in Å (`TrilinearSampler`, as Q-score
    /// samples); nil outside the box spanned by the voxel centres.
    public static func interpolate(_ map: Volume, at position: SIMD3<Double>) -> Float? {
        map.voxels.withUnsafeBufferPointer { v in
            TrilinearSampler(grid: map.grid, voxels: v).value(position.x, position.y, position.z).map(Float.init)
        }
    }
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Symmetry

/// Point-group symmetry in density modification: which group, about which centre, and how
/// well the map shows it.
extension DensityModification {
    /// The group `symbol` names (RELION's symbols); nil for "auto" (find it in the map).
    /// Throws a one-line error for anything else.
    public static func symmetryGroup(_ symbol: String) throws -> PointGroup? {
        let trimmed = symbol.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "auto" { return nil }
        return try PointGroup(trimmed)
    }

    /// The voxels averaged over the group: those within the largest sphere about `centre`
    /// that fits in the box. Outside it (the box corners) most rotated copies of a voxel fall
    /// outside the box and are left out anyway; the corners are solvent in any box cut around
    /// a molecule, and skipping them saves about half the work (a 256³ pair with I symmetry:
    /// 60 interpolations per voxel, 3 cycles × 2 halves).
    static func inscribedSphere(_ grid: VoxelGrid, centre: SIMD3<Double>) -> [Bool] {
        let n = grid.size, v = grid.voxelSize
        let first = grid.firstVoxelPosition
        let box = SIMD3(Double(n.x) * v.x, Double(n.y) * v.y, Double(n.z) * v.z)
        let radius = 0.5 * min(box.x, box.y, box.z)
        var flags = [Bool](repeating: false, count: grid.count)
        flags.withUnsafeMutableBufferPointer { f in
            Parallelism.forEachRange(n.z) { _, planes in
                for z in planes {
                    let dz = first.z + Double(z) * v.z - centre.z
                    for y in 0..<n.y {
                        let dy = first.y + Double(y) * v.y - centre.y
                        let row = (z * n.y + y) * n.x
                        for x in 0..<n.x {
                            let dx = first.x + Double(x) * v.x - centre.x
                            f[row + x] = dx * dx + dy * dy + dz * dz <= radius * radius
                        }
                    }
                }
            }
        }
        return flags
    }

    /// The group to average over, its centre (Å) and its score in the map (nil for C1).
    ///
    /// The group and its centre: given (about the box centre), or found as
    /// phenix.map_symmetry finds them. Both the search and the check that the map has the
    /// group read one "view" of the molecule: the average of the halves weighted per shell by
    /// its correlation with the truth, sqrt(2F/(1 + F)), and low-passed to 2d, where the
    /// copies' correlation is not drowned by noise (on the simulated D2 tetramer at 4 Å the
    /// copies correlate 0.67 at d and 0.84 at 2d; wrong groups about 0). Only the group and
    /// a centre pass from the average to the halves.
    static func symmetry(_ requestedGroup: PointGroup?, _ O1: HalfSpectrum, _ O2: HalfSpectrum, fscBefore: FSCCurve,
                         resolution d: Double, shells: FourierShells,
                         progress: ProgressReporter) throws -> (PointGroup, SIMD3<Double>, SymmetryScore?) {
        var group = requestedGroup ?? .c1
        var centre = SymmetryCentre.box(O1.grid)
        var symmetryScore: SymmetryScore? = nil
        if requestedGroup?.order != 1 {
            var view = HalfSpectrum.average(O1, O2)
            shells.apply(SpectralFilter(shellWeights: fscBefore.fsc.map { FSCWeight.reference($0).isFinite ? FSCWeight.reference($0) : 0 }), to: &view)
            shells.apply(SpectralFilter(lowPass: min(2 * d, shells.referenceLength / 2), lowPassEdgeShells: 2), to: &view)
            let map = FFT.backward(consume view)
            if let given = requestedGroup {
                progress.step("Checking \(given.symbol) symmetry about the box centre")
                symmetryScore = try SymmetryScore(map, group: given, centre: centre, points: 1000)
            } else {
                progress.step("Looking for point-group symmetry (as phenix.map_symmetry)")
                let found = try SymmetryDetection.detect(map)
                group = found.best.group
                centre = found.best.centre
                if found.isSymmetric { symmetryScore = found.best }
                progress.step(found.isSymmetric
                    ? String(format: "Found %@ symmetry (mean correlation of the copies %.3f)", group.symbol, found.best.mean)
                    : "No point-group symmetry found (C1)")
            }
        }
        return (group, centre, symmetryScore)
    }

    /// How `group` was used, for the report (nil for C1), and a warning when the halves do not
    /// show it (its copies correlate less than a detected group must).
    static func symmetryUse(_ group: PointGroup, centre: SIMD3<Double>, detected: Bool,
                            score: SymmetryScore?) -> (DensityModificationReport.SymmetryUse?, String?) {
        guard group.order > 1 else { return (nil, nil) }
        let use = DensityModificationReport.SymmetryUse(group: group.symbol, order: group.order, centre: [centre.x, centre.y, centre.z],
                                                        detected: detected, meanCorrelation: score?.mean ?? 1,
                                                        minimumCorrelation: score?.minimum ?? 1)
        let weakest = score?.mean ?? 1
        guard weakest < SymmetryDetection.Parameters().minimumMeanCorrelation else { return (use, nil) }
        let warning = String(format: "the half maps do not show %@ symmetry about (%.1f, %.1f, %.1f) Å: symmetry-related density correlates only %.2f (0.75 expected at least); averaging over wrong copies blurs the modified map (the weights then trust it less): check the point group, its orientation (RELION's convention) and the centre, or set symmetry to auto", group.symbol, centre.x, centre.y, centre.z, weakest)
        return (use, warning)
    }
}

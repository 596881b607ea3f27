import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How close a map is to the known truth of a simulated dataset: what the sharpening harness
/// ranks methods by (the correlation with the truth inside the molecule, as Terwilliger et al.
/// 2018 rank sharpenings by the correlation with a B = 0 model map), and the FSC with the truth.
///
/// The correlation is Pearson's over the voxels where the mask is at least 0.5, so a map's
/// scale and offset do not count, only its shape. Per region (the voxels of the mask in
/// each region) the same. The FSC is of the map and the truth each multiplied by the mask,
/// with no phase randomisation: the truth is noise-free, so the mask cannot correlate noise.
/// The FSC over the whole box is given too: it counts the solvent's noise, which the masked
/// FSC removes perfectly, so it is the measure by which solvent flattening (density
/// modification) can show what it gains.
public struct TruthScore: Codable, Sendable, Equatable {
    /// Correlation with the truth inside the mask.
    public var correlation: Double
    /// Correlation with the truth inside each region of the mask, in the regions' order (NaN
    /// for a region with fewer than 2 voxels: reported as not measured).
    public var regionCorrelations: [Double]
    /// FSC of the masked map with the masked truth.
    public var fsc: FSCCurve
    /// Where that FSC falls through 0.5 and 0.143 (interpolated, Å).
    public var resolutionHalf: Double, resolution143: Double
    /// FSC of the map with the truth over the whole box, unmasked.
    public var boxFSC: FSCCurve
    /// Where the whole-box FSC falls through 0.5 (interpolated, Å).
    public var boxResolutionHalf: Double

    /// Scores `map` against `truth` inside `mask`, and inside each of `regions` (voxel flags on
    /// the same grid). All maps share one grid.
    public static func score(_ map: Volume, truth: Volume, mask: Volume, regions: [[Bool]] = []) throws -> TruthScore {
        for (v, name) in [(truth, "the truth"), (mask, "the mask")] {
            if let why = map.grid.mismatch(with: v.grid) { throw MapbookError("\(name) is not on the map's grid: \(why)") }
        }
        let inside = mask.voxels.map { $0 >= 0.5 }
        guard inside.contains(true) else { throw MapbookError("the mask holds no voxel at or above 0.5: nothing to score against the truth") }
        let cc = map.correlation(with: truth, where: inside)
        guard cc.isFinite else { throw MapbookError("the map or the truth is constant inside the mask: the correlation is undefined") }
        let regional = regions.map { region in
            map.correlation(with: truth, where: zip(inside, region).map { $0 && $1 })
        }
        let shells = FourierShells(grid: map.grid)
        var masked = map, maskedTruth = truth
        masked.voxels.withUnsafeMutableBufferPointer { m in
            maskedTruth.voxels.withUnsafeMutableBufferPointer { t in
                mask.voxels.withUnsafeBufferPointer { w in
                    for i in 0..<w.count { m[i] *= w[i]; t[i] *= w[i] }
                }
            }
        }
        let curve = shells.fsc(FFT.forward(masked), FFT.forward(maskedTruth))
        let half = try curve.resolution(at: .fixed(0.5)).interpolatedResolution
        let gold = try curve.resolution(at: .goldStandard).interpolatedResolution
        let box = shells.fsc(FFT.forward(map), FFT.forward(truth))
        let boxHalf = try box.resolution(at: .fixed(0.5)).interpolatedResolution
        return TruthScore(correlation: cc, regionCorrelations: regional, fsc: curve, resolutionHalf: half, resolution143: gold,
                          boxFSC: box, boxResolutionHalf: boxHalf)
    }

    /// Two regions of `mask` split by a local-resolution map at its median inside the mask:
    /// the better-resolved voxels (below the median, Å) and the rest (at or above it); when no
    /// voxel lies below the median (a map of few values), at or below it and above it. Empty
    /// when the map holds no resolution inside the mask.
    public static func regionsByResolution(_ resolution: Volume, mask: Volume) throws -> (regions: [[Bool]], median: Double) {
        if let why = resolution.grid.mismatch(with: mask.grid) { throw MapbookError("the local-resolution map is not on the mask's grid: \(why)") }
        let inside = (0..<mask.voxels.count).map { mask.voxels[$0] >= 0.5 && resolution.voxels[$0] > 0 }
        var values = (0..<inside.count).filter { inside[$0] }.map { resolution.voxels[$0] }
        guard !values.isEmpty else { return ([], .nan) }
        values.sort()
        let median = values[values.count / 2]
        let strict = values.first! < median
        let better = (0..<inside.count).map { inside[$0] && (strict ? resolution.voxels[$0] < median : resolution.voxels[$0] <= median) }
        let worse = (0..<inside.count).map { inside[$0] && !better[$0] }
        return ([better, worse], Double(median))
    }
}

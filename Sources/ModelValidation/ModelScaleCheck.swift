import Foundation
import MapbookCore
import MapModel
import ModelMaps

/// Whether a map's voxel size agrees with the scale of the model built into it.
///
/// A pixel size lost or changed between programs stretches the map about its frame's zero
/// (position = ORIGIN + (NSTART + index)·voxel): the density then drifts away from the model in
/// proportion to the distance from that zero, and every map–model measure degrades without
/// saying why. The check reads the map as if its voxel size were `scales` times the header's
/// and correlates it with a blurred map of the model at each: when another scale fits clearly
/// better (`margin`), the voxel size is wrong.
///
/// Cost: a few small model maps. The map is read every k-th voxel (k so the longest edge has
/// at most 64 samples) and at most 1,500 atoms are used, blurred to a Gaussian of the coarse
/// voxel's width: the answer is a scale, not a fine fit.
public enum ModelScaleCheck {
    /// Voxel-size factors tried (the header's is 1).
    public static let scales = [0.9, 0.95, 1.0, 1.05, 1.1]
    /// How much better (in correlation) another scale must fit for the header's to be refused.
    public static let margin = 0.1

    /// The correlation of `map` with the model at each of `scales`, over the voxels where that
    /// scale's blurred model map exceeds 1 % of its peak (NaN when the model misses the grid).
    public static func correlations(map: Volume, model: AtomicModel) -> [(scale: Double, correlation: Double)] {
        let g = map.grid
        let k = max(1, Int((Double(g.size.max()) / 64).rounded(.up)))
        let m = SIMD3((g.size.x + k - 1) / k, (g.size.y + k - 1) / k, (g.size.z + k - 1) / k)
        let coarse = Volume(grid: VoxelGrid(size: m, voxelSize: g.voxelSize * Double(k))) { x, y, z in map[k * x, k * y, k * z] }
        let scored = ModelValidation.scoredAtoms(model)
        let stride = max(1, scored.count / 1500)
        var atoms = Swift.stride(from: 0, to: scored.count, by: stride).map { scored[$0] }
        for i in atoms.indices { atoms[i].bFactor = 0 }
        let sigma = max(1.0, g.voxelSize.max() * Double(k))
        let parameters = ModelMapParameters(extraBFactor: 8 * Double.pi * Double.pi * sigma * sigma)
        return scales.map { f in
            let first = g.origin + SIMD3(Double(g.nstart.x), Double(g.nstart.y), Double(g.nstart.z)) * g.voxelSize * f
            let grid = VoxelGrid(size: m, voxelSize: g.voxelSize * Double(k) * f, origin: first)
            guard let modelMap = try? ModelMap.density(of: AtomicModel(atoms: atoms), on: grid, parameters: parameters) else { return (f, .nan) }
            let peak = modelMap.statistics.max
            guard peak > 0 else { return (f, .nan) }
            let mask = Volume(grid: grid, voxels: AlignedArray(modelMap.voxels.map { $0 > 0.01 * peak ? Float(1) : 0 }))
            var c = coarse
            c.grid = grid
            return (f, Volume.correlation(c, modelMap, mask: mask))
        }
    }

    /// The correlation another scale must reach, besides beating the header's by `margin`: a
    /// model that fits at no scale (not the map's model at all) says nothing about the voxel size.
    public static let minimumFit = 0.3

    /// Throws one line naming `mapPath` when a voxel size other than the header's fits the
    /// model better by more than `margin` in correlation (and by at least `minimumFit`).
    public static func require(map: Volume, model: AtomicModel, mapPath: String?) throws {
        let all = correlations(map: map, model: model)
        guard let header = all.first(where: { $0.scale == 1 })?.correlation, header.isFinite else { return }
        guard let best = all.filter({ $0.correlation.isFinite }).max(by: { $0.correlation < $1.correlation }),
              best.scale != 1, best.correlation > header + margin, best.correlation >= minimumFit else { return }
        let v = map.grid.voxelSize.x
        throw MapbookError(String(format: "the voxel size %.3f Å disagrees with the model's scale: the map matches the model best read at %.3f Å per voxel (correlation %.2f, against %.2f at the header's); check the pixel size",
                                  v, v * best.scale, best.correlation, header), path: mapPath)
    }
}

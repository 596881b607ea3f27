import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// Phenix's four map–model correlation coefficients (phenix.map_model_cc, phenix.mtriage;
/// Afonine et al. 2018, Acta D74:814, "New tools for the analysis and validation of cryo-EM
/// maps and atomic models", section 3.3). Each is a Pearson correlation of the map and the
/// model map over a different set of voxels.
public struct CorrelationFamily: Sendable, Equatable, Codable {
    /// CC_box: over the whole box.
    public var box: Double
    /// CC_mask: over the voxels within `maskRadius` of an atom centre.
    public var mask: Double
    /// CC_volume: over the N highest voxels of the model map, N = the mask's voxel count.
    public var volume: Double
    /// CC_peaks: over the union of the N highest voxels of the map and of the model map.
    public var peaks: Double
    /// The mask radius used (Å), from the resolution (see `MapModelCorrelation.maskRadius`).
    public var maskRadius: Double
    /// N: the number of voxels inside the mask.
    public var maskVoxelCount: Int
    /// The resolution (Å) the model map was computed at.
    public var resolution: Double
}

/// CC_box, CC_mask, CC_volume and CC_peaks as Phenix defines them (Afonine et al. 2018).
///
/// The model map is Phenix's: the model's structure factors with each atom's own B-factor,
/// cut off at the map's resolution d by a hard spherical limit (s ≤ 1/d), on the map's grid.
/// It is computed as `ModelMap.density` of the scored atoms (no hydrogens), sampled with an
/// extra blur that is divided out in Fourier space (see `ModelSpectrum`), then cut at d.
public enum MapModelCorrelation {
    /// The model map of `model` at resolution `d` on `grid`, as the CC family uses it.
    public static func modelMap(_ model: AtomicModel, grid: VoxelGrid, resolution d: Double) throws -> Volume {
        guard d > 0, d.isFinite else { throw MapbookError("the resolution must be a positive number of Å, not \(d)") }
        let atoms = AtomicModel(atoms: ModelValidation.scoredAtoms(model))
        let shells = FourierShells(grid: grid)
        var spectrum = try ModelSpectrum.transform(atoms, grid: grid)
        ModelSpectrum.hardLowPass(&spectrum, resolution: d, shells: shells)
        return FFT.backward(spectrum)
    }

    /// The mask radius (Å) Phenix uses for CC_mask: the half-width of the central peak of a
    /// carbon atom's image at resolution d with B-factor `b` (cctbx's documented
    /// `maptbx.atom_radius_as_central_peak_width(element, b_iso, d_min)`, "estimate atom radius
    /// as half-width of the central peak of Fourier image"), so the mask widens as the
    /// resolution worsens. The image is ρ(r) ∝ ∫₀^{1/d} q² f(q) e^{−Bq²/4} sin(2πqr)/(2πqr) dq
    /// with f the electron form factor; the half-width is the first r where ρ stops falling
    /// (its first minimum, at or before its first zero).
    public static func maskRadius(resolution d: Double, bFactor b: Double, element: ChemicalElement = .carbon) -> Double {
        let f = ElectronScattering.formFactor(element)
        let steps = 400
        let dq = 1 / d / Double(steps)
        // Weights of the integrand at mid-points q: q² f(q) e^{−Bq²/4} dq, with f(q) = Σ a e^{−b q²/4}.
        let qs = (0..<steps).map { (Double($0) + 0.5) * dq }
        let weights = qs.map { q in q * q * f.value(atS: q / 2) * exp(-b * q * q / 4) * dq }
        func image(_ r: Double) -> Double {
            zip(qs, weights).reduce(0) { sum, p in
                let x = 2 * Double.pi * p.0 * r
                return sum + p.1 * (x < 1e-8 ? 1 : sin(x) / x)
            }
        }
        let dr = 0.01
        var previous = image(0)
        var r = dr
        while r < 5 * d {
            let value = image(r)
            if value >= previous || value <= 0 { return r - (value <= 0 ? 0 : dr) }
            previous = value
            r += dr
        }
        return r
    }

    /// The four correlations of `map` with `model`'s map at resolution `d`; the mask radius
    /// comes from d and the mean B-factor of the scored atoms.
    public static func compute(map: Volume, model: AtomicModel, resolution d: Double) throws -> CorrelationFamily {
        let atoms = ModelValidation.scoredAtoms(model)
        guard !atoms.isEmpty else { throw MapbookError("the model has no atoms other than hydrogens") }
        let meanB = atoms.reduce(0) { $0 + $1.bFactor } / Double(atoms.count)
        let radius = maskRadius(resolution: d, bFactor: max(0, meanB))
        let modelMap = try modelMap(model, grid: map.grid, resolution: d)
        let mask = ModelMask.binary(AtomicModel(atoms: atoms), grid: map.grid, radius: radius)
        return try correlations(map: map, modelMap: modelMap, mask: mask, maskRadius: radius, resolution: d)
    }

    /// The four correlations of two maps on one grid, given the CC_mask voxels (x fastest), the
    /// radius that made them and the model map's resolution (recorded in the result).
    /// Ties at the N-th highest value are all kept, so a selection can exceed N by the ties.
    public static func correlations(map: Volume, modelMap: Volume, mask: [Bool],
                                    maskRadius: Double, resolution: Double) throws -> CorrelationFamily {
        guard map.grid.size == modelMap.grid.size, mask.count == map.grid.count else {
            throw MapbookError("the map, the model map and the mask must share one grid")
        }
        let n = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard n > 1 else { throw MapbookError("the model mask holds \(n) voxel(s): the model misses the map") }
        let modelTop = highest(modelMap, count: n)
        let mapTop = highest(map, count: n)
        let union = zip(modelTop, mapTop).map { $0 || $1 }
        func cc(_ selection: [Bool]?, _ name: String) throws -> Double {
            let weights = selection.map { s in Volume(grid: map.grid, voxels: AlignedArray(s.map { $0 ? Float(1) : 0 })) }
            let value = Volume.correlation(map, modelMap, mask: weights)
            guard value.isFinite else { throw MapbookError("\(name) is undefined: a map is constant over its voxels") }
            return value
        }
        return CorrelationFamily(box: try cc(nil, "CC_box"), mask: try cc(mask, "CC_mask"), volume: try cc(modelTop, "CC_volume"),
                                 peaks: try cc(union, "CC_peaks"), maskRadius: maskRadius, maskVoxelCount: n, resolution: resolution)
    }

    /// The voxels at or above the `count`-th highest value of `volume`.
    static func highest(_ volume: Volume, count: Int) -> [Bool] {
        let threshold = thresholdForHighest(volume, count: count)
        return volume.voxels.map { $0 >= threshold }
    }

    /// The `count`-th highest voxel value of `volume` (count clamped to 1…voxels).
    ///
    /// A histogram of 4096 bins finds the bin that holds it, and only that bin's values are
    /// sorted: linear time, where sorting the whole map would cost n log n.
    static func thresholdForHighest(_ volume: Volume, count: Int) -> Float {
        let values = volume.voxels
        let k = min(max(count, 1), values.count)
        var lo = Float.infinity, hi = -Float.infinity
        for v in values { lo = min(lo, v); hi = max(hi, v) }
        guard hi > lo else { return hi }
        let bins = 4096
        let scale = Double(bins) / (Double(hi) - Double(lo))
        func bin(_ v: Float) -> Int { min(bins - 1, Int((Double(v) - Double(lo)) * scale)) }
        var histogram = [Int](repeating: 0, count: bins)
        for v in values { histogram[bin(v)] += 1 }
        // Walk down from the top bin until k values are covered.
        var above = 0, b = bins - 1
        while above + histogram[b] < k { above += histogram[b]; b -= 1 }
        let inBin = values.filter { bin($0) == b }.sorted(by: >)
        return inBin[k - above - 1]
    }
}

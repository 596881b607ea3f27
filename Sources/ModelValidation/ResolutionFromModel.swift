import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// phenix.mtriage's resolution estimates (Afonine et al. 2018, Acta D74:814, "New tools for
/// the analysis and validation of cryo-EM maps and atomic models", section on d99 and d_model).
public struct ModelResolutions: Sendable, Equatable, Codable {
    /// d99 (Å): the resolution beyond which the map's Fourier coefficients no longer contribute.
    public var d99: Double
    /// d_model (Å): the resolution at which the model map, with the model's B-factors,
    /// correlates best with the map.
    public var dModel: Double
    /// The whole-box correlation of map and model map at `dModel`.
    public var correlationAtDModel: Double
    /// d_model with every atomic B-factor set to 0 (Å).
    public var dModelB0: Double
    /// The whole-box correlation at `dModelB0`.
    public var correlationAtDModelB0: Double
}

/// d99 and d_model, as mtriage defines them (Afonine et al. 2018, Acta D74:814).
///
/// Both are computed from per-shell sums of the transforms (Parseval): the correlation of two
/// maps equals Σ Re(F·G*) / √(Σ|F|² Σ|G|²) over the non-zero frequencies, so truncating a map
/// at resolution d — keeping the coefficients with s ≤ 1/d, a hard spherical cut as a set of
/// Fourier coefficients to d_min is in Phenix — only changes which shells the sums run over.
/// One transform per map then gives every cut-off at once.
public enum ResolutionFromModel {
    /// The correlation that defines d99: a map truncated at d99 correlates with the full map
    /// at 0.99 (Afonine et al. 2018: d99 is the resolution cut-off beyond which the Fourier
    /// coefficients of the map are negligible, such that the map computed with them cut at d99
    /// correlates with the original one at CC = 0.99).
    public static let d99Correlation = 0.99

    /// All three of mtriage's estimates for `map` and `model` (the scored atoms, no hydrogens).
    public static func estimate(map: Volume, model: AtomicModel) throws -> ModelResolutions {
        let shells = FourierShells(grid: map.grid)
        let mapSpectrum = FFT.forward(map)
        let d99 = try d99(spectrum: mapSpectrum, shells: shells)
        let withB = try dModel(mapSpectrum: mapSpectrum, model: model, zeroB: false, shells: shells)
        let zeroB = try dModel(mapSpectrum: mapSpectrum, model: model, zeroB: true, shells: shells)
        return ModelResolutions(d99: d99, dModel: withB.resolution, correlationAtDModel: withB.correlation,
                                dModelB0: zeroB.resolution, correlationAtDModelB0: zeroB.correlation)
    }

    /// d99 of `map` (Å). Throws for a constant map, whose correlation is undefined.
    public static func d99(_ map: Volume) throws -> Double {
        try d99(spectrum: FFT.forward(map), shells: FourierShells(grid: map.grid))
    }

    /// d_model (Å) and the correlation there: the cut-off resolution d at which the model map
    /// truncated at d correlates best with the whole map (mtriage scans d; here every shell
    /// edge from the lowest to Nyquist is tried). `zeroB` sets every atomic B to 0 first
    /// (mtriage's "d_model (B factors = 0)").
    public static func dModel(map: Volume, model: AtomicModel, zeroB: Bool = false) throws -> (resolution: Double, correlation: Double) {
        try dModel(mapSpectrum: FFT.forward(map), model: model, zeroB: zeroB, shells: FourierShells(grid: map.grid))
    }

    static func d99(spectrum: HalfSpectrum, shells: FourierShells) throws -> Double {
        let sums = SpectralSums(spectrum, nil, shells: shells)
        let total = sums.ff.reduce(0, +)
        guard total > 0 else { throw MapbookError("d99 is undefined for a constant map") }
        // CC(map, map cut at d) = √(power kept / total power): the truncated map is a projection.
        let target = d99Correlation * d99Correlation * total
        var kept = 0.0
        for i in 1..<sums.ff.count {
            let next = kept + sums.ff[i]
            if next >= target {
                // Spread the shell's power evenly over its width in s to place the cut inside it.
                let t = sums.ff[i] > 0 ? (target - kept) / sums.ff[i] : 1
                let (inner, outer) = sums.frequencyRange(slot: i)
                return 1 / (inner + t * (outer - inner))
            }
            kept = next
        }
        return 1 / sums.frequencyRange(slot: sums.ff.count - 1).outer
    }

    static func dModel(mapSpectrum: HalfSpectrum, model: AtomicModel, zeroB: Bool,
                       shells: FourierShells) throws -> (resolution: Double, correlation: Double) {
        var atoms = ModelValidation.scoredAtoms(model)
        if zeroB { for i in atoms.indices { atoms[i].bFactor = 0 } }
        let modelSpectrum = try ModelSpectrum.transform(AtomicModel(atoms: atoms), grid: mapSpectrum.grid)
        let sums = SpectralSums(mapSpectrum, modelSpectrum, shells: shells)
        let mapPower = sums.ff.reduce(0, +)
        guard mapPower > 0 else { throw MapbookError("d_model is undefined for a constant map") }
        var best: (resolution: Double, correlation: Double)? = nil
        var cross = 0.0, modelPower = 0.0
        // Cut-offs at every full shell's outer edge (the corners past the last full shell are
        // not a spherical cut, so they are left out of the scan).
        for i in 1...shells.maxShell {
            cross += sums.fg[i]; modelPower += sums.gg[i]
            guard modelPower > 0 else { continue }
            let cc = cross / (mapPower * modelPower).squareRoot()
            if best == nil || cc > best!.correlation { best = (1 / sums.frequencyRange(slot: i).outer, cc) }
        }
        guard let best else { throw MapbookError("d_model is undefined: the model map is empty on this grid") }
        return best
    }
}

/// Hermitian-weighted per-shell sums of one or two half-spectra, leaving out F(0,0,0) (the
/// mean, which a correlation subtracts): slots 0…maxShell are `FourierShells`' shells, and one
/// more slot holds the coefficients past the last full shell (the corners of the box).
struct SpectralSums {
    /// Σ|F|² per slot.
    var ff: [Double]
    /// Σ|G|² per slot (zeros without a second spectrum).
    var gg: [Double]
    /// Σ Re(F·G*) per slot (zeros without a second spectrum).
    var fg: [Double]
    let shells: FourierShells

    init(_ f: HalfSpectrum, _ g: HalfSpectrum?, shells: FourierShells) {
        self.shells = shells
        let slots = shells.shellCount + 1
        ff = [Double](repeating: 0, count: slots); gg = ff; fg = ff
        let n = f.grid.size, hCount = f.hCount
        f.coefficients.withUnsafeBufferPointer { pf in
            shells.shellIndex.withUnsafeBufferPointer { idx in
                for row in 0..<(n.y * n.z) {
                    for h in 0..<hCount {
                        let j = row * hCount + h
                        if j == 0 { continue }
                        let raw = idx[j]
                        let slot = raw == FourierShells.outside ? slots - 1 : Int(raw)
                        let w = FourierShells.hermitianWeight(h, nx: n.x)
                        let a = pf[j]
                        ff[slot] += w * Double(a.squaredMagnitude)
                        if let g {
                            let b = g.coefficients[j]
                            gg[slot] += w * Double(b.squaredMagnitude)
                            fg[slot] += w * (Double(a.re) * Double(b.re) + Double(a.im) * Double(b.im))
                        }
                    }
                }
            }
        }
    }

    /// The frequencies (Å⁻¹) a slot spans: shell i covers L·s in [i − ½, i + ½) (rounding), the
    /// corner slot runs from the last shell's edge to the box's corner.
    func frequencyRange(slot i: Int) -> (inner: Double, outer: Double) {
        let L = shells.referenceLength
        if i <= shells.maxShell { return (max(0, Double(i) - 0.5) / L, (Double(i) + 0.5) / L) }
        let v = shells.grid.voxelSize
        let corner = (1 / (4 * v.x * v.x) + 1 / (4 * v.y * v.y) + 1 / (4 * v.z * v.z)).squareRoot()
        return ((Double(shells.maxShell) + 0.5) / L, corner)
    }
}

/// The transform of a model map without the aliasing of sampling sharp atoms on a coarse grid:
/// every atom is blurred by an extra B before it is sampled, and the blur is divided out again
/// in Fourier space (the way Fcalc by FFT is commonly computed). The result matches the
/// model's structure factors to within about 1e-3 relative below 0.65 × Nyquist and degrades
/// only near Nyquist.
enum ModelSpectrum {
    /// The smallest total B (Å²) an atom's narrowest Gaussian may have on voxels of size v:
    /// the alias from the first mirror, relative to the true coefficient, is then
    /// exp(−B·s_N·(s_N − s)) ≤ 1e-2 for s ≤ 0.8·s_N (s_N = 1/2v), i.e. B ≥ 23/s_N² = 92·v².
    static func minimumB(voxel v: Double) -> Double { 92 * v * v }

    /// The half-spectrum of `model`'s density on `grid`, its atoms' own B-factors kept.
    static func transform(_ model: AtomicModel, grid: VoxelGrid) throws -> HalfSpectrum {
        let narrowest = model.atoms.map { $0.bFactor + ElectronScattering.formFactor($0.element).b.min()! }.min() ?? 0
        let blur = max(0, minimumB(voxel: grid.voxelSize.max()) - narrowest)
        let density = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: blur))
        var spectrum = FFT.forward(density)
        FourierShells(grid: grid).apply(SpectralFilter(bFactor: -blur), to: &spectrum)
        return spectrum
    }

    /// Zeroes every coefficient with s > 1/d: the hard spherical cut of a set of structure
    /// factors to resolution d.
    static func hardLowPass(_ spectrum: inout HalfSpectrum, resolution d: Double, shells: FourierShells) {
        let n = spectrum.grid.size, hCount = spectrum.hCount
        let limit = 1 / (d * d)
        spectrum.coefficients.withUnsafeMutableBufferPointer { f in
            for l in 0..<n.z {
                for k in 0..<n.y {
                    let syz = shells.sy2[k] + shells.sz2[l]
                    let row = hCount * (k + n.y * l)
                    for h in 0..<hCount where shells.sx2[h] + syz > limit { f[row + h] = .zero }
                }
            }
        }
    }
}

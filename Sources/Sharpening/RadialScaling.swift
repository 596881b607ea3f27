import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The soft resolution cut-off every sharpened map gets: coefficients finer than
/// `resolution` are dropped over a raised-cosine edge (phenix cuts hard at 0.833 × the nominal
/// resolution, which rings; the soft edge does not).
public struct SharpeningCutoff: Sendable, Equatable, Codable {
    /// Resolution (Å) at the middle of the edge.
    public var resolution: Double
    /// Width of the edge in spatial frequency (Å⁻¹). Fixed in Å⁻¹ rather than in shells, so a
    /// box and the whole map get the same edge.
    public var edgeWidth: Double

    /// A cut-off at `resolution` Å with an edge `edgeWidth` Å⁻¹ wide.
    public init(resolution: Double, edgeWidth: Double) {
        self.resolution = resolution
        self.edgeWidth = edgeWidth
    }

    /// The cut-off phenix uses for a map of nominal `resolution`: 0.833 × resolution, with an
    /// edge two Fourier shells of `grid` wide.
    public init(nominalResolution resolution: Double, grid: VoxelGrid) {
        let box = grid.boxLength
        self.init(resolution: SharpeningDefaults.dMinRatio * resolution, edgeWidth: 2 / max(box.x, box.y, box.z))
    }

    /// The gain at frequency s (Å⁻¹): the raised cosine of `SpectralFilter.lowPassGain`.
    public func gain(at s: Double) -> Double {
        SpectralFilter(lowPass: resolution, lowPassEdgeShells: 2).lowPassGain(s, referenceLength: 2 / edgeWidth)
    }
}

/// A radial amplitude factor tabulated over s², applied to every coefficient of a spectrum by
/// linear interpolation. Coefficients beyond Nyquist (by exact frequency, on the coarsest axis)
/// are set to zero, as `SpectralFilter` does. Phases are untouched: each coefficient is
/// multiplied by a real, non-negative number.
public struct RadialScaling: Sendable {
    /// Factor at s² = i·step.
    let table: [Float]
    /// s² (Å⁻²) between table entries.
    let step: Double
    /// Squared Nyquist frequency of the grid (Å⁻²).
    let nyquist2: Double

    /// Entries in the table: fine enough that interpolating exp(−B s²/4) with |B| ≤ 500 Å² is
    /// good to ~1e-6 relative on a 1 Å grid.
    static let entries = 16384

    /// Tabulates `factor(s)` times the cut-off's gain for the grid of `shells`.
    public init(shells: FourierShells, cutoff: SharpeningCutoff?, factor: (Double) -> Double) {
        let s2max = (shells.sx2.max() ?? 0) + (shells.sy2.max() ?? 0) + (shells.sz2.max() ?? 0)
        let nyquist = 1 / (2 * shells.grid.voxelSize.max())
        nyquist2 = nyquist * nyquist * (1 + 1e-12)
        let upper = min(s2max, nyquist2) * (1 + 1e-9)
        let step = max(upper, 1e-12) / Double(Self.entries - 2)
        self.step = step
        table = (0..<Self.entries).map { i in
            let s = (Double(i) * step).squareRoot()
            let g = factor(s) * (cutoff?.gain(at: s) ?? 1)
            return Float(g.isFinite ? g : 0)
        }
    }

    /// Multiplies every coefficient of `spectrum` by the factor at its frequency. `parallel`
    /// spreads the planes over `Parallelism.threads`; trial loops that already run one trial
    /// per worker pass false.
    public func apply(to spectrum: inout HalfSpectrum, shells: FourierShells, parallel: Bool = true) {
        precondition(spectrum.grid.size == shells.grid.size, "spectrum is not on the shells' grid")
        let n = shells.grid.size
        let hCount = n.x / 2 + 1
        let (sx2, sy2, sz2) = (shells.sx2, shells.sy2, shells.sz2)
        let inverseStep = 1 / step
        let nyquist2 = self.nyquist2
        let last = table.count - 2
        table.withUnsafeBufferPointer { t in
            spectrum.coefficients.withUnsafeMutableBufferPointer { f in
                let planes: (Range<Int>) -> Void = { zr in
                    for l in zr {
                        for k in 0..<n.y {
                            let syz = sy2[k] + sz2[l]
                            let row = hCount * (k + n.y * l)
                            for h in 0..<hCount {
                                let s2 = sx2[h] + syz
                                if s2 > nyquist2 { f[row + h] = .zero; continue }
                                let x = s2 * inverseStep
                                let i = min(last, Int(x))
                                let w = Float(x - Double(i))
                                let g = t[i] + w * (t[i + 1] - t[i])
                                f[row + h] = ComplexF(f[row + h].re * g, f[row + h].im * g)
                            }
                        }
                    }
                }
                if parallel {
                    Parallelism.forEachRange(n.z) { _, zr in planes(zr) }
                } else {
                    planes(0..<n.z)
                }
            }
        }
    }
}

extension SharpeningSettings {
    /// The tabulated factor of these settings for `spectrum` on the grid of `shells`, with
    /// `cutoff`. Whitening methods measure the spectrum's shell rms amplitudes here.
    public func scaling(for spectrum: HalfSpectrum, shells: FourierShells, cutoff: SharpeningCutoff?) -> RadialScaling {
        scaling(shells: shells, cutoff: cutoff, whitening: whitens ? ShellWhitening(power: shells.meanPower(spectrum), shells: shells) : nil)
    }

    /// The tabulated factor with a whitening measured beforehand (a search measures it once).
    /// `half_map` takes no cut-off: its weights already fall to zero where the halves stop
    /// agreeing, and a cut at 0.833 × the nominal resolution would drop signal they still hold.
    func scaling(shells: FourierShells, cutoff given: SharpeningCutoff?, whitening: ShellWhitening?) -> RadialScaling {
        RadialScaling(shells: shells, cutoff: nil, factor: radialFactor(cutoff: given, whitening: whitening))
    }

    /// The whole factor at frequency s (Å⁻¹), `cutoff`'s gain included: what `scaling`
    /// tabulates, and what the expected-correlation guard judges.
    func radialFactor(cutoff given: SharpeningCutoff?, whitening: ShellWhitening?) -> (Double) -> Double {
        let cutoff = method == .halfMap ? nil : given
        let white = whitens ? whitening : nil
        return { s in
            let f = white.map { factor(at: s, whitening: $0.factor) } ?? factor(at: s)
            return f * (cutoff?.gain(at: s) ?? 1)
        }
    }

    /// Applies these settings and `cutoff` to `spectrum` in place.
    public func apply(to spectrum: inout HalfSpectrum, shells: FourierShells, cutoff: SharpeningCutoff?, parallel: Bool = true) {
        scaling(for: spectrum, shells: shells, cutoff: cutoff).apply(to: &spectrum, shells: shells, parallel: parallel)
    }
}

/// Whitening: rms(shell 1) / rms(s), with the shell rms amplitudes interpolated linearly in s
/// between shell centres. Shell 0 (the mean alone) is left out; frequencies below shell 1 take
/// shell 1's value, so the factor is 1 there.
struct ShellWhitening: Sendable {
    let frequencies: [Double]
    let rms: [Double]

    init(power: [Double], shells: FourierShells) {
        let used = 1..<min(power.count, shells.shellCount)
        frequencies = used.map { shells.frequency($0) }
        rms = used.map { max(0, power[$0]).squareRoot() }
    }

    func factor(_ s: Double) -> Double {
        guard frequencies.count >= 2, let reference = rms.first, reference > 0 else { return 1 }
        let value: Double
        if s <= frequencies[0] { value = rms[0] }
        else if s >= frequencies[frequencies.count - 1] { value = rms[rms.count - 1] }
        else {
            let i = min(frequencies.count - 2, Int((s - frequencies[0]) / (frequencies[1] - frequencies[0])))
            let t = (s - frequencies[i]) / (frequencies[i + 1] - frequencies[i])
            value = rms[i] + t * (rms[i + 1] - rms[i])
        }
        return value > 0 ? reference / value : 0
    }
}

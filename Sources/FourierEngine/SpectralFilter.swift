import Foundation
import MapbookCore
import MapModel

/// A radial filter applied to a spectrum in one pass: a per-shell weight (such as FSC
/// weighting), a B-factor and a raised-cosine low-pass, multiplied together.
///
/// B-factor convention (one everywhere in mapbook): the applied factor is exp(−B·s²/4), with s
/// the spatial frequency in Å⁻¹, so a negative B sharpens and a positive B blurs.
public struct SpectralFilter: Sendable, Equatable {
    /// Weight per shell (index = shell); coefficients in shells past the end get weight 0.
    /// Nil means weight 1 everywhere inside Nyquist.
    public var shellWeights: [Double]?
    /// Applied B-factor (Å²); 0 leaves amplitudes unchanged.
    public var bFactor: Double
    /// Low-pass resolution (Å); nil for none.
    public var lowPass: Double?
    /// Width of the low-pass raised-cosine edge, in shells (RELION's default is 2).
    public var lowPassEdgeShells: Double

    /// A filter; by default it does nothing but zero the coefficients beyond Nyquist.
    public init(shellWeights: [Double]? = nil, bFactor: Double = 0, lowPass: Double? = nil, lowPassEdgeShells: Double = 2) {
        self.shellWeights = shellWeights
        self.bFactor = bFactor
        self.lowPass = lowPass
        self.lowPassEdgeShells = lowPassEdgeShells
    }

    /// The low-pass gain at frequency s (Å⁻¹), following RELION's raised cosine: 1 below
    /// s_lp − w/2, 0 above s_lp + w/2, 0.5 + 0.5·cos(π (s − s_low)/w) in between, where w is the
    /// edge width in frequency and s_lp = 1/lowPass.
    public func lowPassGain(_ s: Double, referenceLength L: Double) -> Double {
        guard let lowPass else { return 1 }
        let centre = 1 / lowPass
        let half = 0.5 * lowPassEdgeShells / L
        let lo = centre - half, hi = centre + half
        if s <= lo { return 1 }
        if s >= hi { return 0 }
        return 0.5 + 0.5 * cos(Double.pi * (s - lo) / (hi - lo))
    }
}

extension FourierShells {
    /// Applies `filter` to `spectrum` in place. Coefficients beyond Nyquist — by exact
    /// frequency, s > 1/(2·voxel) on the coarsest axis, not by rounded shell — are set to zero,
    /// as RELION does when it sharpens: a strong negative B would otherwise blow up the
    /// half-filled outermost shell.
    ///
    /// Returns the mean amplitude per shell *after* filtering (the "sharpened" Guinier curve),
    /// accumulated in the same pass.
    @discardableResult
    public func apply(_ filter: SpectralFilter, to spectrum: inout HalfSpectrum) -> [Double] {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let L = referenceLength
        let shells = shellCount
        let weights: [Float] = (0..<shells).map { i in
            guard let w = filter.shellWeights else { return 1 }
            return i < w.count ? Float(w[i]) : 0
        }
        let quarterB = filter.bFactor / 4
        let nyquist = 1 / (2 * grid.voxelSize.max())
        let nyquist2 = nyquist * nyquist * (1 + 1e-12)
        let (sx2, sy2, sz2) = (self.sx2, self.sy2, self.sz2)
        // exp(−B s²/4) factorises over the axes, so three small tables replace an exp per voxel.
        let bx = sx2.map { exp(-quarterB * $0) }, by = sy2.map { exp(-quarterB * $0) }, bz = sz2.map { exp(-quarterB * $0) }
        let sums = spectrum.coefficients.withUnsafeMutableBufferPointer { f in
            shellIndex.withUnsafeBufferPointer { idx in
                shellSums(components: 1) { k, l, row, acc in
                    let syz = sy2[k] + sz2[l]
                    let byz = by[k] * bz[l]
                    for h in 0..<hCount {
                        let i = Int(idx[row + h])
                        if i == Int(FourierShells.outside) || sx2[h] + syz > nyquist2 { f[row + h] = .zero; continue }
                        var g = Double(weights[i]) * bx[h] * byz
                        if filter.lowPass != nil { g *= filter.lowPassGain((sx2[h] + syz).squareRoot(), referenceLength: L) }
                        let gf = Float(g)
                        let v = ComplexF(f[row + h].re * gf, f[row + h].im * gf)
                        f[row + h] = v
                        acc[i] += FourierShells.hermitianWeight(h, nx: n.x) * Double(v.magnitude)
                    }
                }
            }
        }
        return (0..<shells).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
    }
}

/// Spectrum arithmetic used by the algorithms.
extension HalfSpectrum {
    /// (a + b) / 2, coefficient by coefficient: the transform of the average map.
    public static func average(_ a: HalfSpectrum, _ b: HalfSpectrum) -> HalfSpectrum {
        var out = a
        out.formAverage(with: b)
        return out
    }

    /// Replaces this spectrum by (self + other) / 2, in place.
    public mutating func formAverage(with other: HalfSpectrum) {
        precondition(grid.size == other.grid.size)
        coefficients.withUnsafeMutableBufferPointer { o in
            other.coefficients.withUnsafeBufferPointer { q in
                Parallelism.forEachRange(o.count, minimumPerChunk: 1 << 16) { _, r in
                    for i in r { o[i] = ComplexF(0.5 * (o[i].re + q[i].re), 0.5 * (o[i].im + q[i].im)) }
                }
            }
        }
    }
}

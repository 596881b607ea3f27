import Foundation
import MapbookCore
import MapModel

/// LocalDeblur's bank of band-pass filters and the Gaussian weights that mix them per voxel.
///
/// Trial resolutions R_b run from Nyquist (2s, s the voxel size) in steps of `step` (xmipp
/// hard-codes 0.2 Å) while R_b < max ρ + 2 Å. A step whose Fourier shell round(L/R_b) (L the
/// longest box edge, so N·s for a cubic box) equals the previous step's is skipped. Each kept
/// band is a raised-cosine bump in digital frequency v (cycles per voxel) centred on c = s/R_b
/// with half-width δ = s/(R_b − step) − c. A voxel of local resolution ρ weighs band b by
/// w_b(ρ) = exp(−K (R_b − ρ)²) and divides by Σ_b w_b(ρ).
///
/// With a `fineTaper` t > 0 (mapbook's default, `LocalDeblurParameters.resolutionTaper`) the
/// bands finer than the voxel's own resolution are also weighed down by exp(−(R_b − ρ)²/(2t²)),
/// so the operator, and with it every update of the iteration, stays within the frequencies the
/// local resolution supports. xmipp's symmetric weights (t = 0) give a band 1 Å finer than ρ
/// almost the weight of ρ's own band (0.98 at K = 0.025), so a voxel at 6 Å has its 3–6 Å noise
/// boosted as much as its signal: that is why xmipp's LocalDeblur loses to no sharpening where
/// local resolution varies (measured in `LocalDeblur`'s documentation).
///
/// Frequencies below the lowest band belong to no band, so the operator leaves them out: H of a
/// constant is zero and local sharpening never changes the low-resolution content.
public struct DeblurFilterBank: Sendable, Equatable, Codable {
    /// One band of the bank.
    public struct Band: Sendable, Equatable, Codable {
        /// Trial resolution (Å).
        public var resolution: Double
        /// Centre of the bump, digital frequency s/R.
        public var centre: Double
        /// Half-width of the bump, digital frequency.
        public var halfWidth: Double
    }

    /// Voxel size (Å) that converts physical to digital frequency (the coarsest axis).
    public let voxel: Double
    /// The Gaussian weighting constant K (Å⁻²).
    public let k: Double
    /// The kept bands, finest resolution first.
    public let bands: [Band]
    /// Width (Å) of the extra Gaussian taper on bands finer than the local resolution; 0 for
    /// xmipp's symmetric weights.
    public let fineTaper: Double

    /// The bank for maps of voxel size `voxel` whose local resolutions reach `maxResolution` Å,
    /// on a box whose longest edge is `referenceLength` Å; `fineTaper` (Å, 0: none) weighs down
    /// the bands finer than a voxel's resolution.
    public init(voxel: Double, maxResolution: Double, referenceLength: Double, k: Double, step: Double = 0.2, fineTaper: Double = 0) throws {
        guard voxel > step / 2 else {
            throw MapbookError(String(format: "voxel size %.3f Å is too small for LocalDeblur's %.2f Å band step (the first band would start past Nyquist)", voxel, step))
        }
        self.voxel = voxel
        self.k = k
        self.fineTaper = fineTaper
        var kept: [Band] = []
        var lastShell = -1
        let upper = maxResolution + 2
        var index = 0
        while true {
            // Each trial resolution from its index, not by repeated addition, so the list does
            // not drift with rounding.
            let r = 2 * voxel + step * Double(index)
            index += 1
            guard r < upper - 1e-9 else { break }
            let shell = Int((referenceLength / r).rounded())
            if shell == lastShell { continue }
            lastShell = shell
            let centre = voxel / r
            kept.append(Band(resolution: r, centre: centre, halfWidth: voxel / (r - step) - centre))
        }
        guard !kept.isEmpty else {
            throw MapbookError(String(format: "no LocalDeblur band between Nyquist (%.2f Å) and %.2f Å", 2 * voxel, upper))
        }
        bands = kept
    }

    /// Gain of band `b` at digital frequency `v`.
    @inline(__always)
    public func gain(band b: Int, at v: Double) -> Double {
        let band = bands[b]
        let d = v - band.centre
        guard abs(d) <= band.halfWidth else { return 0 }
        return 0.5 * (1 + cos(Double.pi * d / band.halfWidth))
    }

    /// The unnormalised weight exp(−K (R_b − ρ)²) of band `b` for local resolution `rho`, times
    /// exp(−(R_b − ρ)²/(2t²)) for a band finer than `rho` when the taper t is on.
    @inline(__always)
    public func weight(band b: Int, rho: Double) -> Double {
        let d = bands[b].resolution - rho
        if fineTaper > 0 && d < 0 { return exp(-k * d * d - d * d / (2 * fineTaper * fineTaper)) }
        return exp(-k * d * d)
    }

    /// Σ_b w_b(ρ).
    public func weightSum(rho: Double) -> Double {
        var sum = 0.0
        for b in bands.indices { sum += weight(band: b, rho: rho) }
        return sum
    }

    /// The transfer function h_ρ(v) = Σ_b w_b(ρ)·B_b(v) / Σ_b w_b(ρ) of the operator in a
    /// region of uniform local resolution `rho`, at digital frequency `v`.
    public func transfer(rho: Double, at v: Double) -> Double {
        var sum = 0.0
        for b in bands.indices where abs(v - bands[b].centre) <= bands[b].halfWidth {
            sum += weight(band: b, rho: rho) * gain(band: b, at: v)
        }
        return sum / weightSum(rho: rho)
    }

    /// The lowest digital frequency any band reaches: below it the operator is zero.
    public var lowestFrequency: Double { bands.map { $0.centre - $0.halfWidth }.min() ?? 0 }
}

import Foundation
import FourierEngine
import MapbookCore

/// A half-map FSC whose resolution depends on direction in a known way: an ellipsoid of
/// revolution about z. Along a direction u (unit vector) the FSC reaches 0.143 at
///
///     d(u) = √(d_xy² (u_x² + u_y²) + d_z² u_z²),
///
/// with d_xy the design's `resolution` (in the xy plane, the best directions) and d_z = ratio ×
/// d_xy (along z, the worst): the surface where the FSC is 0.143 is the spheroid with semi-axes
/// 1/d_xy, 1/d_xy, 1/d_z (Å⁻¹). The FSC of a coefficient at frequency s along u is the isotropic
/// design's curve read at s·d(u)/d_xy: the whole curve, not only its crossing, is stretched
/// along z. The noise of each coefficient is set from it and from the coefficient's own signal
/// power, N = |S|² (1/FSC − 1), so that the FSC of any region of Fourier space — a cone, a
/// shell — is the design's, whatever the model. With the shell's mean power instead (white
/// noise within a shell) the FSC in a cone follows the model's own directional power as much
/// as the design: the built-in helix bundle's spectrum is concentrated in layer lines and
/// equatorial spots, and with white noise its 20° cones reach 0.143 anywhere from 3.1 to 8.2 Å
/// although the shell's FSC does at 3.4 Å. The price is noise with the signal's spectrum
/// (the truth with its phases scrambled, stretched by the design), not white noise.
public struct AnisotropyDesign: DeclaredParameters, Equatable {
    /// d_z / d_xy.
    @Parameter("anisotropy", .closed(1, 10), "resolution along z over resolution in the xy plane (1: isotropic); the FSC's 0.143 surface is a spheroid")
    public var ratio = 1.0

    /// Isotropic.
    public init() {}

    /// A design with d_z = `ratio` × d_xy.
    public init(ratio: Double) { self.ratio = ratio }

    /// Whether the design varies with direction at all.
    public var isAnisotropic: Bool { ratio != 1 }

    /// The designed 0.143 resolution along unit direction `u`, for in-plane resolution `inPlane`.
    public func resolution(along u: SIMD3<Double>, inPlane: Double) -> Double {
        let dz = ratio * inPlane
        return (inPlane * inPlane * (u.x * u.x + u.y * u.y) + dz * dz * u.z * u.z).squareRoot()
    }

    /// The factor d(u)/d_xy by which the frequency of a coefficient along u is stretched
    /// before the isotropic curve is read (1 in the xy plane, `ratio` along z).
    public func stretch(along u: SIMD3<Double>) -> Double {
        (u.x * u.x + u.y * u.y + ratio * ratio * u.z * u.z).squareRoot()
    }

    /// The noise that gives the stretched curve against each shell's mean signal power: per
    /// half-spectrum coefficient of `shells`' grid, its amplitude relative to the shell's root
    /// mean square (the noise's shape within each shell; 0 outside every shell), and per shell
    /// the mean noise power (its level).
    ///
    /// `signal` is the signal's transform. `requested[i]` is the isotropic curve per shell, read between shells linearly in shell
    /// radius, and held at its last value beyond the outermost shell. An FSC at or below
    /// `fscFloor` counts as `fscFloor`, as `NoiseShaper.noisePower` does.
    public func noisePower(requested: [Double], signal: HalfSpectrum, shells: FourierShells,
                           fscFloor: Double = 1e-3) -> (amplitude: [Float], perShell: [Double]) {
        let g = shells.grid
        let n = g.size
        let hCount = n.x / 2 + 1
        let box = g.boxLength
        let L = shells.referenceLength
        var power = [Float](repeating: 0, count: hCount * n.y * n.z)
        var sums = [Double](repeating: 0, count: shells.shellCount)
        func signed(_ i: Int, _ count: Int) -> Double { Double(i > count / 2 ? i - count : i) }
        let last = requested.count - 1
        for l in 0..<n.z {
            for k in 0..<n.y {
                for h in 0..<hCount {
                    let index = h + hCount * (k + n.y * l)
                    let raw = shells.shellIndex[index]
                    if raw == FourierShells.outside { continue }
                    let shell = Int(raw)
                    guard shell > 0 else { continue }
                    let s = SIMD3(Double(h) / box.x, signed(k, n.y) / box.y, signed(l, n.z) / box.z)
                    let radius = (s * s).sum().squareRoot()
                    let r = radius * L * stretch(along: s / radius)
                    let lo = min(last, Int(r)), hi = min(last, lo + 1), t = min(1, r - Double(lo))
                    let fsc = max(fscFloor, (1 - t) * requested[lo] + t * requested[hi])
                    let noise = Double(signal.coefficients[index].squaredMagnitude) * (1 / min(fsc, 1 - 1e-9) - 1)
                    power[index] = Float(noise)
                    sums[shell] += FourierShells.hermitianWeight(h, nx: n.x) * noise
                }
            }
        }
        let perShell = (0..<shells.shellCount).map { shells.counts[$0] > 0 ? sums[$0] / shells.counts[$0] : 0 }
        for index in power.indices {
            let raw = shells.shellIndex[index]
            guard raw != FourierShells.outside, perShell[Int(raw)] > 0 else { power[index] = 0; continue }
            power[index] = Float((Double(power[index]) / perShell[Int(raw)]).squareRoot())
        }
        return (power, perShell)
    }
}

/// Records written before the design existed have no `anisotropy` key: they read as isotropic.
/// (The synthesised decoding of `SimulationParameters` picks this overload for the type.)
extension KeyedDecodingContainer {
    func decode(_ type: AnisotropyDesign.Type, forKey key: Key) throws -> AnisotropyDesign {
        try decodeIfPresent(type, forKey: key) ?? AnisotropyDesign()
    }
}

import Foundation
import FourierEngine

/// Half-map sums in one frequency bin: the statistics every half-map sharpening weight is made of.
public struct HalfMapBin: Sendable, Equatable, Codable {
    /// Spatial frequency of the bin's centre (Å⁻¹).
    public var frequency: Double
    /// Σ Re(F₁·F₂*) over the bin's coefficients.
    public var cross: Double
    /// Σ |F₁|².
    public var power1: Double
    /// Σ |F₂|².
    public var power2: Double
    /// Number of coefficients (full sphere, with weights when bins overlap).
    public var count: Double

    /// An empty bin at `frequency`.
    public init(frequency: Double, cross: Double = 0, power1: Double = 0, power2: Double = 0, count: Double = 0) {
        self.frequency = frequency
        self.cross = cross
        self.power1 = power1
        self.power2 = power2
        self.count = count
    }

    /// The half-map FSC in the bin; nil when either half has no power.
    public var halfFSC: Double? {
        guard power1 > 0, power2 > 0, count > 0 else { return nil }
        return cross / (power1 * power2).squareRoot()
    }

    /// Mean signal power per coefficient: the cross-power, whose noise terms average to zero
    /// because the halves' noise is independent.
    public var signalPower: Double { count > 0 ? cross / count : 0 }

    /// Mean noise power per coefficient of one half: half the power of F₁ − F₂.
    public var noisePower: Double { count > 0 ? max(0, (power1 + power2 - 2 * cross) / (2 * count)) : 0 }
}

extension HalfMapBin {
    /// One bin per Fourier shell of `shells` from two half-map spectra: the cross-power and
    /// both powers (Hermitian-weighted sums) and the shell's coefficient count.
    public static func shells(_ f1: HalfSpectrum, _ f2: HalfSpectrum, shells: FourierShells) -> [HalfMapBin] {
        let cross = shells.crossPower(f1, f2), p1 = shells.crossPower(f1, f1), p2 = shells.crossPower(f2, f2)
        return (0..<shells.shellCount).map { i in
            HalfMapBin(frequency: shells.frequency(i), cross: cross[i], power1: p1[i], power2: p2[i], count: shells.counts[i])
        }
    }
}

import Foundation
import FourierEngine
import MapbookCore

/// The shape of the half-map FSC a simulation asks for.
public enum FSCShape: String, Sendable, Codable, CaseIterable, ParameterChoice {
    /// White noise against the signal's own, B-decayed spectrum, as in real reconstructions:
    /// one noise power N in every shell, FSC = S/(S + N), with N set so the FSC is 0.143 at
    /// the resolution. How steeply it falls depends on the signal (its B-factors).
    case whiteNoise = "white-noise"
    /// A logistic curve, FSC(s) = 1/(1 + exp((s − s₀)/w)), through 0.143 at 1/resolution, with
    /// width w = `logisticWidth`/resolution; the noise follows the signal to make it so.
    case logistic
}

/// The half-map FSC a simulation is built to have.
public struct FSCDesign: DeclaredParameters, Equatable {
    /// The curve's shape.
    @Parameter("fsc_curve", "half-map FSC curve: white-noise (against the B-decayed signal) or logistic")
    public var shape: FSCShape = .whiteNoise
    /// Resolution (Å) where the FSC is 0.143.
    @Parameter("resolution", .positive, unit: "Å", "resolution where the half-map FSC is 0.143",
               source: "Rosenthal & Henderson 2003 (0.143 threshold)")
    public var resolution: Double = 4
    /// Logistic width as a fraction of the crossing frequency 1/resolution.
    @Parameter("logistic_width", .positive, "logistic curve width, as a fraction of 1/resolution")
    public var logisticWidth: Double = 0.1

    /// White noise, 0.143 at 4 Å.
    public init() {}

    /// A design; what is not given keeps its default.
    public init(shape: FSCShape = FSCDesign().shape, resolution: Double = FSCDesign().resolution,
                logisticWidth: Double = FSCDesign().logisticWidth) {
        self.shape = shape
        self.resolution = resolution
        self.logisticWidth = logisticWidth
    }

    /// The requested FSC per shell of `shells`, for a signal of mean power `signalPower[i]`.
    /// Shell 0 is 1.
    public func requestedFSC(signalPower: [Double], shells: FourierShells) -> [Double] {
        var fsc = [Double](repeating: 1, count: shells.shellCount)
        switch shape {
        case .whiteNoise:
            let n = whiteNoisePower(signalPower: signalPower, shells: shells)
            for i in 1..<shells.shellCount { fsc[i] = signalPower[i] + n > 0 ? signalPower[i] / (signalPower[i] + n) : 0 }
        case .logistic:
            let crossing = 1 / resolution
            let w = logisticWidth * crossing
            // 1/(1 + e^x) = 0.143 at x = ln(1/0.143 − 1).
            let centre = crossing - w * log(1 / 0.143 - 1)
            for i in 1..<shells.shellCount { fsc[i] = 1 / (1 + exp((shells.frequency(i) - centre) / w)) }
        }
        return fsc
    }

    /// The noise power per shell that realises the requested FSC against `signalPower`.
    public func noisePower(signalPower: [Double], shells: FourierShells) -> [Double] {
        switch shape {
        case .whiteNoise:
            var power = [Double](repeating: whiteNoisePower(signalPower: signalPower, shells: shells), count: shells.shellCount)
            power[0] = 0
            return power
        case .logistic:
            return NoiseShaper.noisePower(signal: signalPower, fsc: requestedFSC(signalPower: signalPower, shells: shells))
        }
    }

    /// The one noise power that puts S/(S + N) at 0.143 exactly at 1/resolution, with S
    /// interpolated log-linearly between the neighbouring shells.
    func whiteNoisePower(signalPower: [Double], shells: FourierShells) -> Double {
        let r = shells.referenceLength / resolution
        let lo = max(1, min(shells.maxShell - 1, Int(r.rounded(.down))))
        let t = min(1, max(0, r - Double(lo)))
        let s0 = max(signalPower[lo], 1e-300), s1 = max(signalPower[lo + 1], 1e-300)
        let s = exp((1 - t) * log(s0) + t * log(s1))
        return s * (1 / 0.143 - 1)
    }
}

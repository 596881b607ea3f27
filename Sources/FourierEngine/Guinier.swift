import Foundation
import FourierEngine

/// A Guinier plot: ln(mean amplitude) against squared spatial frequency, one point per shell.
public struct GuinierCurve: Sendable, Equatable, Codable {
    /// Shell index of each point.
    public var shell: [Int]
    /// s² = 1/d² (Å⁻²).
    public var frequencySquared: [Double]
    /// ln(mean |F|) per shell; nil where the shell's amplitude is zero.
    public var logAmplitude: [Double?]

    /// Builds the curve from mean amplitudes per shell, keeping shells 1 ... maxShell whose
    /// resolution is no finer than `2·voxel` (RELION lists only those).
    public init(meanAmplitude: [Double], shells: FourierShells) {
        var s: [Int] = [], x: [Double] = [], y: [Double?] = []
        let finest = shells.nyquistResolution - 1e-9
        for i in 1..<min(meanAmplitude.count, shells.shellCount) where shells.resolution(i) >= finest {
            s.append(i)
            let f = shells.frequency(i)
            x.append(f * f)
            y.append(meanAmplitude[i] > 0 ? log(meanAmplitude[i]) : nil)
        }
        shell = s
        frequencySquared = x
        logAmplitude = y
    }
}

/// A weighted least-squares straight line through part of a Guinier plot, and the B-factor it
/// implies.
public struct GuinierFit: Sendable, Equatable, Codable {
    /// Slope of ln|F| against s² (Å²).
    public var slope: Double
    /// Intercept at s² = 0.
    public var intercept: Double
    /// r² of the fit (RELION reports this as its "correlation").
    public var correlation: Double
    /// Low-resolution end of the fit (Å).
    public var lowResolution: Double
    /// High-resolution end of the fit actually used (Å): the finest point that took part.
    public var highResolution: Double
    /// Number of points in the fit.
    public var points: Int

    /// The B-factor that flattens this fall-off: 4 × slope (negative for a decaying spectrum),
    /// to be applied as exp(−B s²/4).
    public var bFactor: Double { 4 * slope }

    /// The map's own B (positive for a blurred map): −4 × slope.
    public var mapBFactor: Double { -4 * slope }

    /// Fits `curve` over resolutions from `lowResolution` down to `highResolution` Å (both
    /// inclusive, as RELION); points without amplitude are left out. Returns nil with fewer
    /// than two distinct points.
    public init?(_ curve: GuinierCurve, lowResolution: Double, highResolution: Double) {
        var xs: [Double] = [], ys: [Double] = []
        for (x, y) in zip(curve.frequencySquared, curve.logAmplitude) {
            guard let y, x > 0 else { continue }
            let d = 1 / x.squareRoot()
            if d <= lowResolution && d >= highResolution { xs.append(x); ys.append(y) }
        }
        guard xs.count >= 2 else { return nil }
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my); sxy += (x - mx) * (y - my)
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = my - slope * mx
        correlation = syy > 0 ? sxy * sxy / (sxx * syy) : 1
        self.lowResolution = lowResolution
        self.highResolution = 1 / xs.max()!.squareRoot()
        points = xs.count
    }
}

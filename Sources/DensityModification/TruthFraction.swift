import Foundation

/// How much of the FSC of two modified half maps is true: per shell, k = c_d / sqrt(FSC(D1, D2)).
///
/// FSC(D1, D2) counts everything the two modified halves share, and the modification puts some
/// things into both alike without their being true: a mask truncates the same true density in
/// both, its edge leaks low-resolution density outwards, a density prior is nonlinear. The
/// original half of the other side has none of that, so FSC(O1, D2) = c_o·c_d measures c_d
/// honestly, but noisily where c_o is small. So k is estimated from the cross terms of several
/// neighbouring shells and applied to the precise sqrt(FSC(D1, D2)) of the shell itself.
///
/// The estimate is a weighted straight-line fit of the shells' k_j = FSC(O, D')/sqrt(FSC(O1, O2)·
/// FSC(D1, D2)) over `halfWidth` shells either side, evaluated at the shell: the shared
/// untrue part grows towards high resolution, and a plain window mean lags that trend (on the
/// simulated haemoglobin set the mean over ±3 shells predicted 0.07 too high a correlation one
/// shell past a steep drop; the line fit brought the worst shell to 0.045 over eight seeds).
/// Weights are the inverse variances of the k_j: counts_j·FSC(O1, O2)_j·FSC(D1, D2)_j, since
/// the noise of an FSC is about 1/sqrt(count).
enum TruthFraction {
    /// Shells either side used in the fit.
    static let halfWidth = 4

    /// k per shell, in [0, 1]; NaN for shells 0 and 1 and for shells that are not usable
    /// themselves (the half maps' FSC below 0.04 or the modified maps' FSC not positive): the
    /// caller carries the last estimate outwards. Not the line extrapolated past the last
    /// usable shell: fitted on the two or three noisy shells at that edge, its slope swung
    /// the prediction by up to 0.15 from one shell to the next on the simulated 64³ uniform
    /// design (seed 2) and moved its 0.5 crossing 0.35 Å off the truth's.
    static func estimate(halfMapFSC oo: [Double], modifiedFSC dd: [Double], crossFSC x: [Double],
                         counts: [Double], halfWidth: Int = halfWidth) -> [Double] {
        let n = oo.count
        var k = [Double](repeating: .nan, count: n)
        guard n > 2 else { return k }
        for s in 2..<n where usable(oo[s], dd[s], x[s]) {
            var sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
            for j in max(2, s - halfWidth)...min(n - 1, s + halfWidth) {
                guard usable(oo[j], dd[j], x[j]) else { continue }
                let product = oo[j] * dd[j]
                let kj = x[j] / product.squareRoot()
                let w = counts[j] * product
                let t = Double(j - s)
                sw += w; sx += w * t; sy += w * kj; sxx += w * t * t; sxy += w * t * kj
            }
            guard sw > 0 else { continue }
            let det = sw * sxx - sx * sx
            // With one usable shell (or all at one place) the line is undetermined: the mean.
            let value = det > 1e-9 * sw * sw ? (sy * sxx - sx * sxy) / det : sy / sw
            k[s] = min(1, max(0, value))
        }
        return k
    }

    /// Whether a shell's FSCs can measure k: the half maps correlate (FSC(O1, O2) > 0.04) and
    /// so do the modified maps.
    static func usable(_ oo: Double, _ dd: Double, _ x: Double) -> Bool {
        oo.isFinite && dd.isFinite && x.isFinite && oo > 0.04 && dd > 0
    }
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The half maps' estimate of how well a linear filtering of their average correlates with the
/// true map, in real space, so that it applies to filters that vary over the map (local
/// weights, LocalDeblur) as well as to radial and directional ones.
///
/// A linear operator L applied to A = (h1 + h2)/2 gives L·A, and applied to half 1 alone L·h1;
/// L·h2 = 2·L·A − L·h1. The halves are h_i = S + n_i with independent noise, and their signal S
/// is the true map T under an envelope: the signal's fall-off fitted against a sharp protein's
/// (`SignalModel`, B), over that of the true map aimed at (B_target, as half-map sharpening).
/// The reference filter R = exp((B − B_target)·q²/4), out to the half-map FSC's 0.143 shell and
/// zero beyond (where it would only amplify noise), undoes it: R·S ≈ T there. Over a region,
///
///     CC(L·A, T) ≈ ½[cov(L·h1, R·h2) + cov(L·h2, R·h1)] / √(var(L·A) · (cov(R·h1, R·h2) + tail)):
///
/// each cross term pairs independent noise, so its expectation is cov(L·S, R·S), and the tail
/// is the true map's power beyond the 0.143 shell from the signal model. This is the real-space
/// form of the expected correlation with the true map that half-map sharpening maximises shell
/// by shell (Terwilliger et al. 2020). Judging by the halves' own signal instead (R = 1)
/// rewards blurring: on a split design it ranked LocalDeblur's input 0.11 too high.
///
/// Its level assumes a true map of envelope B_target; the simulated designs' truths are
/// sharper, so it reads about 0.05 high there, but it ranks candidates as the truth does.
public struct HalfMapJudge: Sendable {
    /// R·h1 and R·h2: the halves with their signal's envelope undone to the target's.
    let reference1: Volume, reference2: Volume
    /// The true map's variance over the region beyond the 0.143 shell, from the signal model.
    let truthTail: Double
    /// Where the correlation is taken (values > 0.5); nil: the whole box.
    let region: Volume?
    /// The envelope B of the halves' signal (Å²), nil when no shell past 10 Å holds enough
    /// signal to fit it (then R = 1 inside the 0.143 shell and no tail is added).
    public let signalBFactor: Double?

    /// The judge for filters of the average of `half1` and `half2`, its signal model fitted
    /// inside `mask` (soft, values in [0, 1]; the whole box when nil), the correlation taken
    /// where `mask` > 0.5.
    public init(half1: Volume, half2: Volume, mask: Volume?, targetBFactor: Double = HalfMapSharpeningParameters().targetBFactor) {
        let shells = FourierShells(grid: half1.grid)
        let bins = HalfMapBin.shells(FFT.forward(mask.map { half1.multiplied(by: $0) } ?? half1),
                                     FFT.forward(mask.map { half2.multiplied(by: $0) } ?? half2), shells: shells)
        let model = SignalModel.fit(bins)
        let last = ExpectedCorrelationWeight.tailIndex(bins)
        let factors = bins.indices.map { i -> Double in
            guard i < last else { return 0 }
            let q = bins[i].frequency
            return model.map { exp(($0.bFactor - targetBFactor) * q * q / 4) } ?? 1
        }
        func reference(_ h: Volume) -> Volume {
            var f = FFT.forward(h)
            shells.apply(SpectralFilter(shellWeights: factors), to: &f)
            return FFT.backward(consume f)
        }
        reference1 = reference(half1)
        reference2 = reference(half2)
        region = mask
        signalBFactor = model?.bFactor
        // The tail: the model scaled to the last measured bin (as `ExpectedCorrelationWeight`),
        // brought to the target's envelope; per voxel of the region (Parseval, with
        // FFT.forward's 1/N: N/n times the coefficients' power).
        var tail = 0.0
        if let model, last > 1, last < bins.count {
            let scale = ExpectedCorrelationWeight.tailScale(bins, model: model, tail: last)
            for i in last..<bins.count {
                let q = bins[i].frequency
                tail += bins[i].count * scale * model.signalPower(atFrequency: q) * exp((model.bFactor - targetBFactor) * q * q / 2)
            }
            let inside = mask.map { m in m.voxels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) } } ?? half1.grid.count
            tail *= Double(half1.grid.count) / Double(max(1, inside))
        }
        truthTail = tail
    }

    /// Whether `map` is the average of `halves` to within float rounding (1e-5 of the largest
    /// magnitude): only then can the halves judge filterings of `map`.
    public static func isAverage(_ map: Volume, of halves: (Volume, Volume)) -> Bool {
        guard map.grid.mismatch(with: halves.0.grid) == nil, map.grid.mismatch(with: halves.1.grid) == nil else { return false }
        return map.voxels.withUnsafeBufferPointer { m in
            halves.0.voxels.withUnsafeBufferPointer { a in
                halves.1.voxels.withUnsafeBufferPointer { b in
                    var largest: Float = 0, worst: Float = 0
                    for i in 0..<m.count {
                        largest = max(largest, abs(m[i]))
                        worst = max(worst, abs(m[i] - 0.5 * (a[i] + b[i])))
                    }
                    return worst <= 1e-5 * largest
                }
            }
        }
    }

    /// The estimate of CC(L·A, T) for `average` = L·A and `half1` = L·h1; nil when the
    /// references share no signal in the region or L·A is flat there.
    public func expectedCorrelation(average: Volume, half1: Volume) -> Double? {
        let m = JudgeMoments(average: average, half1: half1, reference1: reference1, reference2: reference2, region: region)
        guard m.n > 1 else { return nil }
        func cov(_ xy: Double, _ x: Double, _ y: Double) -> Double { xy / m.n - (x / m.n) * (y / m.n) }
        let truth = cov(m.r1r2, m.r1, m.r2) + truthTail
        let variance = cov(m.aa, m.a, m.a)
        guard truth > 0, variance > 0 else { return nil }
        // L·h2 = 2·L·A − L·h1, so cov(L·h2, R·h1) = 2 cov(L·A, R·h1) − cov(L·h1, R·h1).
        let cross = 0.5 * (cov(m.tr2, m.t, m.r2) + 2 * cov(m.ar1, m.a, m.r1) - cov(m.tr1, m.t, m.r1))
        return cross / (variance * truth).squareRoot()
    }
}

/// The sums over the region that the expected correlation needs, in one pass, in Double and
/// the same to the last bit on any thread count (`Parallelism.blockPartials`).
private struct JudgeMoments {
    var n = 0.0, a = 0.0, aa = 0.0, ar1 = 0.0, t = 0.0, tr1 = 0.0, tr2 = 0.0, r1 = 0.0, r2 = 0.0, r1r2 = 0.0

    init(average: Volume, half1: Volume, reference1: Volume, reference2: Volume, region: Volume?) {
        let count = average.voxels.count
        let mask = region?.voxels ?? AlignedArray(repeating: 1, count: count)
        let parts = average.voxels.withUnsafeBufferPointer { a in
            half1.voxels.withUnsafeBufferPointer { t in
                reference1.voxels.withUnsafeBufferPointer { p in
                    reference2.voxels.withUnsafeBufferPointer { q in
                        mask.withUnsafeBufferPointer { r in
                            Parallelism.blockPartials(count, empty: JudgeMoments()) { range in
                                var s = JudgeMoments()
                                for i in range where r[i] > 0.5 {
                                    let x = Double(a[i]), y = Double(t[i]), u = Double(p[i]), v = Double(q[i])
                                    s.n += 1; s.a += x; s.aa += x * x; s.ar1 += x * u
                                    s.t += y; s.tr1 += y * u; s.tr2 += y * v
                                    s.r1 += u; s.r2 += v; s.r1r2 += u * v
                                }
                                return s
                            }
                        }
                    }
                }
            }
        }
        for s in parts {
            n += s.n; a += s.a; aa += s.aa; ar1 += s.ar1; t += s.t; tr1 += s.tr1; tr2 += s.tr2
            r1 += s.r1; r2 += s.r2; r1r2 += s.r1r2
        }
    }

    private init() {}
}

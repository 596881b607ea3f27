import Foundation
import Testing
@testable import DensityModification

@Suite("Per-shell combination")
struct ShellCombinationTests {
    @Test("weights R⁻¹c and the predicted correlation sqrt(cᵀR⁻¹c)")
    func algebra() {
        let c = [0.6, 0.7], r = 0.5
        let best = ShellCombination.optimal(correlations: c, matrix: [[1, r], [r, 1]])
        let wo = (c[0] - r * c[1]) / (1 - r * r), wd = (c[1] - r * c[0]) / (1 - r * r)
        #expect(abs(best.weights[0] - wo) < 1e-12 && abs(best.weights[1] - wd) < 1e-12)
        let expected = ((c[0] * c[0] + c[1] * c[1] - 2 * r * c[0] * c[1]) / (1 - r * r)).squareRoot()
        #expect(abs(best.correlation - expected) < 1e-12)
        #expect(best.correlation >= max(c[0], c[1]) - 1e-9)
    }

    @Test("degenerate cases: the same map twice keeps the first; independent equal maps weigh equally; negatives are dropped")
    func degenerate() {
        let same = ShellCombination.optimal(correlations: [0.5, 0.5], matrix: [[1, 1], [1, 1]])
        #expect(same.weights == [0.5, 0] || same.weights[1] == 0)
        let equal = ShellCombination.optimal(correlations: [0.4, 0.4], matrix: [[1, 0.16], [0.16, 1]])
        #expect(abs(equal.weights[0] - equal.weights[1]) < 1e-12)
        let useless = ShellCombination.optimal(correlations: [0.6, 0.2], matrix: [[1, 0.8], [0.8, 1]])
        #expect(useless.weights[1] == 0 && abs(useless.correlation - 0.6) < 1e-12)
    }
}

@Suite("The true fraction of the modified halves' FSC")
struct TruthFractionTests {
    /// FSCs made from a known k that falls linearly with the shell: the fit must return it
    /// exactly, in the middle and at the ends of the shell range (where the window is one-sided).
    @Test("a linear trend in k is recovered exactly, also at the ends")
    func linearTrend() {
        let n = 30
        let counts = (0..<n).map { 4 * Double.pi * Double($0 * $0) + 1 }
        let oo = (0..<n).map { 0.9 * exp(-Double($0) / 12) }
        let dd = (0..<n).map { 0.95 * exp(-Double($0) / 15) }
        let k = (0..<n).map { 1 - 0.01 * Double($0) }
        let cross = (0..<n).map { k[$0] * (oo[$0] * dd[$0]).squareRoot() }
        let estimate = TruthFraction.estimate(halfMapFSC: oo, modifiedFSC: dd, crossFSC: cross, counts: counts)
        #expect(estimate[0].isNaN && estimate[1].isNaN)
        for s in 2..<n { #expect(abs(estimate[s] - k[s]) < 1e-9, "shell \(s)") }
    }

    @Test("k stays in [0, 1] and unusable shells give NaN")
    func bounds() {
        let counts = [Double](repeating: 100, count: 8)
        let oo = [1, 0.9, 0.8, 0.01, 0.01, 0.01, 0.01, 0.01]
        let dd = [1, 0.9, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5]
        let cross = [1, 0.9, 2.0, 0.1, 0.1, 0.1, 0.1, 0.1]
        let estimate = TruthFraction.estimate(halfMapFSC: oo, modifiedFSC: dd, crossFSC: cross, counts: counts, halfWidth: 1)
        #expect(estimate[2] == 1)
        #expect(estimate[5].isNaN)
    }
}

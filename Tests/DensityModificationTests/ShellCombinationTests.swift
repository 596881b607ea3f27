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

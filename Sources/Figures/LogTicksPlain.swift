import Foundation

/// Log-axis ticks labelled in plain numbers ("0.01", "1", "100") rather than 10ⁿ, for axes
/// whose values a reader reads off directly (seconds): positions are log₁₀ v on a linear
/// `PlotArea` whose data unit is log₁₀ of the value.
extension LogTicks {
    /// Labelled ticks at the decades (1, 10, 100 × 10ⁿ) inside `lo ... hi` (log₁₀ units).
    /// When fewer than two decades fall inside, the 2 and 5 multiples are labelled too, so a
    /// short axis still has a scale to read.
    static func decadeTicks(lo: Double, hi: Double) -> [Tick] {
        let decades = values(lo: lo, hi: hi, multiples: [1])
        let chosen = decades.count >= 2 ? decades : values(lo: lo, hi: hi, multiples: [1, 2, 5])
        return chosen.map { Tick(log10($0), plainLabel($0)) }
    }

    /// The positions (log₁₀ units) of the unlabelled 2…9 multiples of each decade inside
    /// `lo ... hi`, for a light grid between the labelled decades.
    static func minorPositions(lo: Double, hi: Double) -> [Double] {
        values(lo: lo, hi: hi, multiples: [2, 3, 4, 5, 6, 7, 8, 9]).map(log10)
    }

    /// The values m × 10ⁿ, for m in `multiples`, whose log₁₀ lies in `lo ... hi`; ascending.
    static func values(lo: Double, hi: Double, multiples: [Double]) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi >= lo else { return [] }
        var out: [Double] = []
        for n in Int(lo.rounded(.down))...Int(hi.rounded(.up)) {
            for m in multiples {
                let v = m * pow(10, Double(n))
                let p = log10(v)
                if p >= lo - 1e-9 && p <= hi + 1e-9 { out.append(v) }
            }
        }
        return out.sorted()
    }

    /// `v` as a plain number with the decimals it needs: "0.005", "0.1", "1", "20", "1000".
    static func plainLabel(_ v: Double) -> String {
        let decimals = max(0, Int((-log10(v) - 1e-9).rounded(.up)))
        return String(format: "%.\(decimals)f", v)
    }
}

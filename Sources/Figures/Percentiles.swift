import Foundation

/// Percentiles of a set of values (linear interpolation between order statistics, the
/// definition numpy uses by default).
public enum Percentiles {
    /// The `p`-th percentile (0 ... 100) of values already sorted ascending; NaN when empty.
    public static func of(sorted values: [Float], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let pos = min(100, max(0, p)) / 100 * Double(values.count - 1)
        let i = Int(pos.rounded(.down))
        let f = pos - Double(i)
        let a = Double(values[i]), b = Double(values[min(i + 1, values.count - 1)])
        return a + (b - a) * f
    }

    /// The `p`-th percentile of unsorted values; non-finite values are ignored.
    public static func of(_ values: [Float], _ p: Double) -> Double {
        of(sorted: values.filter(\.isFinite).sorted(), p)
    }
}

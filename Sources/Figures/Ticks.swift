import Foundation

/// A labelled position on an axis.
public struct Tick: Equatable, Sendable, Codable {
    /// Position in data units.
    public var value: Double
    /// Text shown at the tick.
    public var label: String

    /// A tick at `value` showing `label`.
    public init(_ value: Double, _ label: String) { self.value = value; self.label = label }
}

/// "Nice" tick positions: multiples of 1, 2, 2.5 or 5 × 10ⁿ, as a person would choose them.
public enum NiceTicks {
    /// The nice step that splits `span` into about `target` intervals.
    public static func step(span: Double, target: Int = 5) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, target))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalised = raw / magnitude
        let nice: Double
        if normalised < 1.5 { nice = 1 } else if normalised < 2.25 { nice = 2 } else if normalised < 3.5 { nice = 2.5 }
        else if normalised < 7.5 { nice = 5 } else { nice = 10 }
        return nice * magnitude
    }

    /// The multiples of the nice step that lie in `lo ... hi` (inclusive, up to rounding).
    public static func values(from lo: Double, to hi: Double, target: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let s = step(span: hi - lo, target: target)
        var v = (lo / s).rounded(.up) * s
        var out: [Double] = []
        while v <= hi + s * 1e-9 {
            out.append(abs(v) < s * 1e-9 ? 0 : v)
            v += s
        }
        return out
    }

    /// Labelled ticks in `lo ... hi`, all with the same number of decimals.
    public static func ticks(from lo: Double, to hi: Double, target: Int = 5) -> [Tick] {
        let vs = values(from: lo, to: hi, target: target)
        let d = decimals(forStep: step(span: hi - lo, target: target))
        return vs.map { Tick($0, format($0, decimals: d)) }
    }

    /// The range widened outwards to multiples of the nice step.
    public static func niceRange(_ lo: Double, _ hi: Double, target: Int = 5) -> (Double, Double) {
        guard hi > lo else { return (lo - 1, hi + 1) }
        let s = step(span: hi - lo, target: target)
        return ((lo / s).rounded(.down) * s, (hi / s).rounded(.up) * s)
    }

    /// Decimals needed to print multiples of `step` exactly (2.5 × 10ⁿ needs one more).
    public static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        var d = max(0, -Int((log10(step)).rounded(.down)))
        let scaled = step * pow(10, Double(d))
        if abs(scaled - scaled.rounded()) > 1e-6 { d += 1 }
        return d
    }

    /// `value` with `decimals` decimals and a true minus sign ("−0" printed as "0").
    public static func format(_ value: Double, decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", value)
        if s.hasPrefix("-") {
            s.removeFirst()
            if s.allSatisfy({ $0 == "0" || $0 == "." }) { return s }
            s = "−" + s
        }
        return s
    }
}

/// Tick marks for a secondary axis labelled in resolution (Å) over an axis whose data unit is
/// a function of it (1/d for FSC plots, 1/d² for Guinier plots).
public enum ResolutionTicks {
    /// Candidate resolutions in Å, roundest first: earlier tiers win when labels would collide.
    static let tiers: [[Double]] = [
        [50, 20, 10, 5, 4, 3, 2, 1.5, 1],
        [30, 15, 8, 6, 2.5, 1.2],
        [100, 12, 7, 4.5, 3.5, 2.8, 2.2, 1.8, 1.6, 1.4],
        [40, 25, 9, 3.2, 2.6, 2.4, 1.9, 1.7, 1.3, 1.1, 0.9, 0.8],
    ]

    /// Resolution ticks whose positions `position(d)` fall inside `lo ... hi` (data units),
    /// spaced so that labels at `pointsPerUnit` do not come closer than `minimumGap` points.
    /// `labelWidth` gives each label's width in points.
    public static func ticks(lo: Double, hi: Double, position: (Double) -> Double, pointsPerUnit: Double,
                             minimumGap: Double = 10, labelWidth: (String) -> Double) -> [Tick] {
        var chosen: [(tick: Tick, left: Double, right: Double)] = []
        for tier in tiers {
            for d in tier {
                let x = position(d)
                guard x.isFinite, x > lo, x <= hi else { continue }
                let label = label(d)
                let centre = (x - lo) * pointsPerUnit
                let half = labelWidth(label) / 2
                let (left, right) = (centre - half, centre + half)
                if chosen.allSatisfy({ right + minimumGap <= $0.left || left >= $0.right + minimumGap }) {
                    chosen.append((Tick(x, label), left, right))
                }
            }
        }
        return chosen.map(\.tick).sorted { $0.value < $1.value }
    }

    /// "10", "4.5", "2.5": as few decimals as the value needs.
    public static func label(_ d: Double) -> String {
        d == d.rounded() ? String(format: "%.0f", d) : String(format: "%g", d)
    }
}

import Foundation

/// The numbers a parameter allows. Checked on every value with a number (a plain number, or
/// the number inside `auto`-or-number), wherever the value came from.
public enum ParameterRange: Sendable, Equatable {
    /// Any finite number.
    case any
    /// Greater than zero.
    case positive
    /// Zero or more.
    case nonNegative
    /// At least this.
    case atLeast(Double)
    /// At most this.
    case atMost(Double)
    /// Between the two, both included.
    case closed(Double, Double)
    /// Strictly between the two.
    case open(Double, Double)

    /// Why `x` is outside the range, phrased to follow the value ("must be positive"); nil when inside.
    public func problem(_ x: Double) -> String? {
        switch self {
        case .any: return nil
        case .positive: return x > 0 ? nil : "must be positive"
        case .nonNegative: return x >= 0 ? nil : "must not be negative"
        case .atLeast(let a): return x >= a ? nil : "must be at least \(a.parameterText)"
        case .atMost(let b): return x <= b ? nil : "must be at most \(b.parameterText)"
        case .closed(let a, let b): return (x >= a && x <= b) ? nil : "must lie between \(a.parameterText) and \(b.parameterText)"
        case .open(let a, let b): return (x > a && x < b) ? nil : "must lie strictly between \(a.parameterText) and \(b.parameterText)"
        }
    }

    /// The range in symbols, for tables ("> 0", "0 < x < 1"); empty for `any`.
    public var summary: String {
        switch self {
        case .any: return ""
        case .positive: return "> 0"
        case .nonNegative: return "≥ 0"
        case .atLeast(let a): return "≥ \(a.parameterText)"
        case .atMost(let b): return "≤ \(b.parameterText)"
        case .closed(let a, let b): return "\(a.parameterText) … \(b.parameterText)"
        case .open(let a, let b): return "\(a.parameterText) < x < \(b.parameterText)"
        }
    }
}

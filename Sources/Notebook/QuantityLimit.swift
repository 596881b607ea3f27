/// What a number that is a limit says: on which side of it the true value lies, and what sets
/// the limit ("≤ 7.08 Å (Nyquist)": the resolution is at most the Nyquist resolution).
public struct QuantityLimit: Codable, Sendable, Equatable {
    /// The side of the limit the true value lies on.
    public enum Side: String, Codable, Sendable {
        /// The true value is at most the number.
        case atMost = "at_most"
        /// The true value is at least the number.
        case atLeast = "at_least"

        /// "≤" or "≥".
        public var symbol: String { self == .atMost ? "≤" : "≥" }
    }

    /// The side.
    public var side: Side
    /// What sets the limit, in a word or two ("Nyquist").
    public var reason: String

    /// A limit.
    public init(_ side: Side, reason: String) { self.side = side; self.reason = reason }

    /// The resolution the sampling caps: the FSC stays above its threshold up to Nyquist.
    public static let nyquist = QuantityLimit(.atMost, reason: "Nyquist")

    /// "≤ 7.08 Å (Nyquist)", from the number printed with its unit.
    public func text(_ number: String) -> String { "\(side.symbol) \(number) (\(reason))" }
}

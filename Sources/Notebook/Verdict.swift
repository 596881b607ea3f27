import Foundation

/// One line of the report's verdict: for one section (a cell), pass, caution or fail, why, and
/// what to do. Cells derive them from their results by documented rules (README, "Verdict
/// rules"); the report lists them above the at-a-glance table, worst first.
public struct Verdict: Codable, Sendable, Equatable {
    /// How the section fared; ordered from good to bad.
    public enum Level: String, Codable, Sendable, Comparable, CaseIterable {
        /// Nothing to act on.
        case pass
        /// Usable, with a limitation the reader should know.
        case caution
        /// A problem to fix before the numbers can be trusted.
        case fail

        /// Good before bad.
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        var rank: Int { Self.allCases.firstIndex(of: self)! }
    }

    /// The section's heading (the cell's title).
    public var section: String
    /// The level.
    public var level: Level
    /// Why, with the number that decided it ("Nyquist-limited: the FSC stays above 0.143 up to 3.00 Å").
    public var reason: String
    /// What to do about it; nil for a pass.
    public var action: String?

    /// A verdict line.
    public init(_ section: String, _ level: Level, _ reason: String, action: String? = nil) {
        self.section = section; self.level = level; self.reason = reason; self.action = action
    }

    /// The worst of several findings for one section, or a pass with `passReason` when there
    /// are none: one line per section, as the report shows it.
    public static func summarising(_ findings: [Verdict], section: String, passReason: String) -> Verdict {
        findings.max { $0.level < $1.level } ?? Verdict(section, .pass, passReason)
    }
}

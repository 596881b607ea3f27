import Notebook

extension FacilityIndex {
    /// A report's findings counted by severity: its sections' verdict lines by level, and its
    /// flags (every warning, counted plainly: their weight is in the verdict lines).
    public struct Severity: Codable, Sendable, Equatable {
        /// Sections that failed.
        public var fail: Int
        /// Sections to read with caution.
        public var caution: Int
        /// Sections that passed.
        public var pass: Int
        /// Warnings.
        public var flags: Int

        /// Counts.
        public init(fail: Int, caution: Int, pass: Int, flags: Int) {
            self.fail = fail; self.caution = caution; self.pass = pass; self.flags = flags
        }

        /// The page's sort key: one fail outweighs any number of cautions, one caution any
        /// number of flags.
        var sortKey: Int { min(fail, 999) * 1_000_000 + min(caution, 999) * 1_000 + min(flags, 999) }
    }
}

extension FacilityIndex.Row {
    /// The row's findings by severity.
    public var severity: FacilityIndex.Severity {
        func count(_ level: Verdict.Level) -> Int { verdicts.filter { $0.level == level }.count }
        return .init(fail: count(.fail), caution: count(.caution), pass: count(.pass), flags: flags.count)
    }

    /// Whether the row should stand out as failed: its task failed, or a section of its report did.
    public var isFailed: Bool { state == TaskState.failed.rawValue || verdicts.contains { $0.level == .fail } }

}

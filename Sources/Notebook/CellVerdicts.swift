extension CellRecord {
    /// The cell's verdict lines as the report lists them: those its presentation gives, and a
    /// fail for a failed cell or a caution for a skipped one (which present nothing).
    public var verdicts: [Verdict] {
        var lines = presentation?.verdicts ?? []
        if status == .failed {
            lines.append(Verdict(title, .fail, "the cell failed: \(message ?? "")", action: "fix the cause and run the plan again"))
        }
        if status == .skipped {
            lines.append(Verdict(title, .caution, "not run: \(message ?? "")", action: "fix the cell it reads from"))
        }
        return lines
    }
}

extension Verdict {
    /// `verdicts` worst first; within a level, in their order (the plan's).
    public static func worstFirst(_ verdicts: [Verdict]) -> [Verdict] {
        verdicts.enumerated().sorted { ($1.element.level, $0.offset) < ($0.element.level, $1.offset) }.map(\.element)
    }
}

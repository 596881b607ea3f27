import Foundation

/// Tables of declared parameters, for `mapbook parameters` and the README: one row per
/// parameter with its key (or flag), value, default, range, unit, help and source.
public enum ParameterTable {
    /// A Markdown table of `specs`; `name` turns a key into the name shown (a flag, or the key).
    public static func markdown(_ specs: [ParameterSpec], name: (ParameterSpec) -> String = { $0.key }) -> String {
        var lines = ["| Parameter | Value | Default | Range | Unit | Meaning | Source |", "|---|---|---|---|---|---|---|"]
        for s in specs {
            let cells = ["`\(name(s))`", s.valueDescription, s.defaultSummary, s.range.summary, s.unit ?? "", s.help, s.source ?? ""]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The unit, the default and the range, as one parenthesis holds them ("Å; default: 15; range: > 0").
    public static func facts(_ s: ParameterSpec) -> String {
        var facts: [String] = []
        if let u = s.unit { facts.append(u) }
        facts.append("default: \(s.defaultSummary)")
        if !s.range.summary.isEmpty { facts.append("range: \(s.range.summary)") }
        return facts.joined(separator: "; ")
    }

    /// Plain text for `mapbook parameters`: the name and value, then the meaning with unit, default, range
    /// and source, wrapped under it.
    public static func plain(_ specs: [ParameterSpec], name: (ParameterSpec) -> String) -> String {
        specs.map { s in
            var text = "  \(name(s))\n      \(s.help) (\(facts(s)))"
            if let src = s.source { text += "\n      from: \(src)" }
            return text
        }.joined(separator: "\n")
    }
}

import Foundation
import Yams

/// The `{{ cell.output }}` references in markdown cells: finding them, locating them in the
/// plan, and replacing them with the numbers a run produced.
public enum MarkdownTemplate {
    /// One `{{ source.output }}` occurrence.
    struct Occurrence {
        var range: Range<String.Index>
        var reference: PlanReference
    }

    static func occurrences(in text: String) -> [Occurrence] {
        var out: [Occurrence] = []
        var search = text.startIndex
        while let open = text.range(of: "{{", range: search..<text.endIndex),
              let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) {
            let inner = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let r = PlanReference(parsing: inner) {
                out.append(Occurrence(range: open.lowerBound..<close.upperBound, reference: r))
            }
            search = close.upperBound
        }
        return out
    }

    /// The references in `text`, in order (repeats included).
    public static func references(in text: String) -> [PlanReference] { occurrences(in: text).map(\.reference) }

    /// `text` with each reference replaced by `value(reference)`.
    public static func render(_ text: String, value: (PlanReference) -> String) -> String {
        var out = ""
        var last = text.startIndex
        for o in occurrences(in: text) {
            out += text[last..<o.range.lowerBound]
            out += value(o.reference)
            last = o.range.upperBound
        }
        out += text[last...]
        return out
    }

    /// Where `reference` is written in the plan file `fileLines`: found on the line of the
    /// markdown value where the text has it (block scalars begin on the line after their `|`),
    /// at the `{{` before it.
    static func position(of reference: PlanReference, in node: Node, text: String, fileLines: [Substring]) -> SourcePosition? {
        guard let mark = node.mark else { return nil }
        let lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(reference.description) }) else { return SourcePosition(mark) }
        let style = node.scalar?.style
        let line = mark.line + index + (style == .literal || style == .folded ? 1 : 0)
        guard line >= 1, line <= fileLines.count else { return SourcePosition(mark) }
        let fileLine = fileLines[line - 1]
        guard let at = fileLine.range(of: reference.description),
              let open = fileLine.range(of: "{{", options: .backwards, range: fileLine.startIndex..<at.lowerBound) else {
            return SourcePosition(line: line, column: 1)
        }
        return SourcePosition(line: line, column: fileLine.unicodeScalars.distance(from: fileLine.unicodeScalars.startIndex, to: open.lowerBound) + 1)
    }
}

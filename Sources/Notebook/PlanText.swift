import Foundation

/// Positions in a plan's text for errors the YAML parser reports without a line and column.
enum PlanText {
    /// Line and column (1-based, columns in Unicode scalars) of the character at `offset`
    /// (counted in `Character`s from the start), or nil when `text` is shorter.
    static func position(ofCharacter offset: Int, in text: String) -> SourcePosition? {
        guard let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        var line = 1, column = 1
        for scalar in text[..<index].unicodeScalars {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }

    /// Whether the character at `position`, or the whitespace run leading to it, holds a tab.
    static func isTab(at position: SourcePosition, in text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return false }
        let scalars = Array(lines[position.line - 1].unicodeScalars)
        var i = min(position.column - 1, scalars.count - 1)
        guard i >= 0 else { return false }
        if scalars[i] == "\t" { return true }
        while i > 0, scalars[i - 1] == " " || scalars[i - 1] == "\t" {
            i -= 1
            if scalars[i] == "\t" { return true }
        }
        return false
    }
}

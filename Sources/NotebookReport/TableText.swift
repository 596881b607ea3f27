import Foundation

/// Table text for the PDF: which spaces may break a line. A number stays on one line with
/// what belongs to it — its unit ("4.52 Å"), an operator and the next number ("1.86 / 33",
/// "96 × 96 × 96", "3.1 → 2.9") — so a wrapped cell never reads as two numbers.
enum TableText {
    /// The no-break space that joins a unit (drawn as a plain space by `printable`).
    static let joiner: Character = "\u{00A0}"

    /// Operators that bind the numbers on both sides.
    static let operators: Set<String> = ["/", "×", "→", "–", "−", "-", "±", "=", "≤", "≥", "<", ">", "≈", "~", "+"]
    /// Units that bind to the number before them.
    static let units: Set<String> = ["Å", "Å²", "Å³", "Å⁻¹", "Å⁻²", "%", "σ", "s", "ms", "Da", "kDa", "MDa", "nm", "°", "px", "voxels"]

    /// `text` with the spaces inside numeric units replaced by no-break spaces.
    static func unbreakable(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count > 1 else { return text }
        var out = words[0]
        for i in 1..<words.count {
            out.append(binds(words[i - 1], words[i]) ? joiner : " ")
            out += words[i]
        }
        return out
    }

    /// Whether the space between `a` and `b` must not break.
    static func binds(_ a: String, _ b: String) -> Bool {
        let aNumber = endsWithNumber(a), bNumber = startsWithNumber(b)
        if aNumber && (units.contains(trimmed(b)) || operators.contains(b)) { return true }
        if operators.contains(a) && bNumber { return true }
        return false
    }

    /// The line as drawn: no-break spaces as plain spaces.
    static func printable(_ line: String) -> String { line.replacingOccurrences(of: String(joiner), with: " ") }

    private static func trimmed(_ w: String) -> String { w.trimmingCharacters(in: CharacterSet(charactersIn: ",;:.)]")) }
    private static func endsWithNumber(_ w: String) -> Bool {
        let last = w.split(separator: joiner).last.map(String.init) ?? w
        return trimmed(last).last?.isNumber == true || trimmed(last).hasSuffix("²")
    }
    private static func startsWithNumber(_ w: String) -> Bool {
        let s = w.trimmingCharacters(in: CharacterSet(charactersIn: "(["))
        guard let c = s.first else { return false }
        return c.isNumber || ((c == "−" || c == "-" || c == "+" || c == ".") && s.dropFirst().first?.isNumber == true)
    }
}

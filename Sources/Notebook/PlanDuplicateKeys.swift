import Foundation
import Yams

/// Duplicate keys in a plan: a mapping that names the same key twice (`mask:` given twice in
/// one cell) would otherwise keep one of the values silently, depending on the YAML library.
///
/// Two ways in: Yams may refuse the file while composing (it reports the keys and where the
/// first one is, not the repeat), or, in other versions, accept it; `check` walks the composed
/// tree with its marks for the second case, and `problem(for:in:)` turns the first into the
/// same one-line problem at the repeated key.
enum PlanDuplicateKeys {
    /// Throws a `PlanProblem` at the first key that repeats an earlier key of its mapping.
    static func check(_ node: Node) throws {
        switch node {
        case .mapping(let m):
            var seen: [String: Node] = [:]
            for (key, value) in m {
                if let name = key.scalar?.string {
                    if let earlier = seen[name] {
                        throw problem(name, at: key.mark.map(SourcePosition.init), first: earlier.mark.map(SourcePosition.init))
                    }
                    seen[name] = key
                }
                try check(value)
            }
        case .sequence(let s):
            for item in s { try check(item) }
        default:
            break
        }
    }

    /// The problem for Yams' refusal of duplicated `keys`, the first of them at `first`.
    static func problem(for keys: [String], first: SourcePosition, in text: String) -> PlanProblem {
        guard let key = keys.first else { return PlanProblem("a mapping gives a key twice", at: first) }
        if let repeated = repeatPosition(of: key, after: first, in: text) {
            return problem(key, at: repeated, first: first)
        }
        return PlanProblem("key '\(key)' is given more than once in this mapping; each key may appear once", at: first)
    }

    static func problem(_ key: String, at position: SourcePosition?, first: SourcePosition?) -> PlanProblem {
        let earlier = first.map { " (first at line \($0.line), column \($0.column))" } ?? ""
        return PlanProblem("key '\(key)' is given twice in one mapping\(earlier); each key may appear once", at: position)
    }

    /// Where `key` appears again as a key of the mapping whose key at `first` it repeats: in
    /// block style, the next line that starts at the same column with `key:` before the mapping
    /// ends (a line indented less); in flow style, the next `{key:` or `, key:` after it.
    static func repeatPosition(of key: String, after first: SourcePosition, in text: String) -> SourcePosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        func keyStarts(_ line: [Unicode.Scalar], at i: Int) -> Bool {
            for s in spellings where i + s.count <= line.count && Array(line[i..<(i + s.count)]) == s {
                var j = i + s.count
                while j < line.count, line[j] == " " { j += 1 }
                if j < line.count, line[j] == ":", j + 1 == line.count || [" ", "\t", "\r"].contains(line[j + 1]) || line[j + 1] == "," || line[j + 1] == "}" {
                    return true
                }
            }
            return false
        }
        let column = first.column - 1
        // Block style.
        if first.line - 1 < lines.count {
            for n in first.line..<lines.count {
                let line = lines[n]
                let indent = line.prefix { $0 == " " }.count
                if indent == line.count || line[indent] == "#" || line[indent] == "\r" { continue }
                if indent < column { break }
                if indent == column, keyStarts(line, at: column) { return SourcePosition(line: n + 1, column: column + 1) }
            }
        }
        // Flow style: the next key after a '{' or ',' from just past the first.
        var n = first.line - 1, start = column + 1
        while n < lines.count {
            let line = lines[n]
            var i = start
            while i < line.count {
                if line[i] == "{" || line[i] == "," {
                    var j = i + 1
                    while j < line.count, line[j] == " " { j += 1 }
                    if keyStarts(line, at: j) { return SourcePosition(line: n + 1, column: j + 1) }
                }
                i += 1
            }
            n += 1
            start = 0
        }
        return nil
    }
}

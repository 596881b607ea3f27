import Foundation

extension JupyterNotebook {
    /// `markdown` with `<` outside code spans and fenced code blocks replaced by `&lt;`, for
    /// the notebook's markdown cells (Jupyter renders them itself and sanitises the result;
    /// this keeps a plan's raw HTML from reading as markup there at all).
    static func escapingRawHTML(_ markdown: String) -> String {
        var out: [String] = []
        var inFence = false
        for line in markdown.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                out.append(line)
                continue
            }
            if inFence { out.append(line); continue }
            var result = ""
            var inCode = false
            for ch in line {
                if ch == "`" { inCode.toggle() }
                result += (ch == "<" && !inCode) ? "&lt;" : String(ch)
            }
            out.append(result)
        }
        return out.joined(separator: "\n")
    }
}

/// Splits CIF 1.1 text (the syntax of mmCIF files) into tokens: tags (`_atom_site.id`),
/// reserved words (`loop_`, `data_…`), and values — bare, quoted with ' or ", or
/// semicolon-delimited text fields — each with the line it starts on. Comments are skipped.
struct CIFTokenizer {
    /// One token.
    struct Token {
        /// The token's text (without quotes or semicolons for values).
        var text: Substring
        /// 1-based line where it starts.
        var line: Int
        /// Whether it was quoted or a text field: such a value is never a tag, a reserved word
        /// or the unknown/inapplicable markers `?` and `.`.
        var quoted: Bool

        /// Whether this is a tag (`_category.item`).
        var isTag: Bool { !quoted && text.first == "_" }

        /// Whether this is a reserved word that ends a loop (`loop_`, `data_…`, `save_…`, ...).
        var isReserved: Bool {
            guard !quoted else { return false }
            let lower = text.prefix(7).lowercased()
            return lower.hasPrefix("loop_") || lower.hasPrefix("data_") || lower.hasPrefix("save_")
                || lower.hasPrefix("global_") || lower.hasPrefix("stop_")
        }

        /// Whether this is the unknown (`?`) or inapplicable (`.`) marker.
        var isNull: Bool { !quoted && (text == "?" || text == ".") }
    }

    /// The text being split, as one string so tokens can be substrings of it.
    private let text: Substring.UTF8View
    private let source: Substring
    private var index: Substring.UTF8View.Index
    private var line = 1
    private var atLineStart = true

    /// A tokenizer over `bytes` (UTF-8).
    init(_ bytes: [UInt8]) {
        source = Substring(String(decoding: bytes, as: UTF8.self))
        text = source.utf8
        index = text.startIndex
    }

    /// The next token, nil at the end; throws a message (for the caller to place) on an
    /// unterminated quote or text field.
    mutating func next() throws(CIFSyntaxError) -> Token? {
        while index < text.endIndex {
            let c = text[index]
            if c == UInt8(ascii: "\n") {
                line += 1; atLineStart = true; index = text.index(after: index); continue
            }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                atLineStart = false; index = text.index(after: index); continue
            }
            if c == UInt8(ascii: "#") {
                while index < text.endIndex && text[index] != UInt8(ascii: "\n") { index = text.index(after: index) }
                continue
            }
            if c == UInt8(ascii: ";") && atLineStart { return try textField() }
            atLineStart = false
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") { return try quoted(c) }
            let start = index
            while index < text.endIndex, !Self.isSpace(text[index]) { index = text.index(after: index) }
            return Token(text: source[start..<index], line: line, quoted: false)
        }
        return nil
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")
    }

    /// A value in `quote`s; it ends at a matching quote followed by white space or the end.
    private mutating func quoted(_ quote: UInt8) throws(CIFSyntaxError) -> Token {
        let startLine = line
        let start = text.index(after: index)
        var i = start
        while i < text.endIndex {
            if text[i] == UInt8(ascii: "\n") { break }
            if text[i] == quote {
                let after = text.index(after: i)
                if after == text.endIndex || Self.isSpace(text[after]) {
                    index = after
                    return Token(text: source[start..<i], line: startLine, quoted: true)
                }
            }
            i = text.index(after: i)
        }
        throw CIFSyntaxError(line: startLine, reason: "quoted value is not closed on its line")
    }

    /// A text field: from a line starting with ';' to the next line starting with ';'.
    private mutating func textField() throws(CIFSyntaxError) -> Token {
        let startLine = line
        let start = text.index(after: index)
        var i = start
        while i < text.endIndex {
            if text[i] == UInt8(ascii: "\n") {
                line += 1
                let next = text.index(after: i)
                if next < text.endIndex && text[next] == UInt8(ascii: ";") {
                    index = text.index(after: next)
                    atLineStart = false
                    return Token(text: source[start..<i], line: startLine, quoted: true)
                }
            }
            i = text.index(after: i)
        }
        throw CIFSyntaxError(line: startLine, reason: "text field starting with ';' is never closed")
    }
}

/// A CIF syntax fault: the line and the reason.
struct CIFSyntaxError: Error {
    /// Where it happened.
    var line: Int
    /// What is wrong.
    var reason: String
}

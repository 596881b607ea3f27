import Foundation

/// Finds what would let a page run script: `<script>` beyond those expected, embedding
/// elements, `on…` handler attributes, and `javascript:`/`vbscript:`/`data:`/`file:`
/// addresses. Written independently of the report's own sanitiser, so the tests do not
/// trust the code they check; run on a browser's `--dump-dom`, whose serialisation is regular.
public enum HTMLInspection {
    /// Elements that run or embed content.
    static let dangerousElements: Set<String> = ["iframe", "object", "embed", "svg", "math", "frame", "frameset", "base", "form", "applet"]
    /// Attributes holding addresses.
    static let addressAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background", "data"]

    /// One line per problem found in `html`; `scripts` is how many `<script>` elements the
    /// page may legitimately hold.
    public static func problems(_ html: String, scripts: Int = 0) -> [String] {
        var problems: [String] = []
        let tag = try! NSRegularExpression(pattern: #"<([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#)
        let attribute = try! NSRegularExpression(pattern: #"([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"#)
        let ns = html as NSString
        var scriptCount = 0
        for t in tag.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: t.range(at: 1)).lowercased()
            if name == "script" { scriptCount += 1 }
            if dangerousElements.contains(name) { problems.append("<\(name)> element") }
            let attributes = ns.substring(with: t.range(at: 2))
            let a = attributes as NSString
            for m in attribute.matches(in: attributes, range: NSRange(location: 0, length: a.length)) {
                let key = a.substring(with: m.range(at: 1)).lowercased()
                if key.hasPrefix("on") { problems.append("<\(name)> has handler attribute \(key)") }
                guard addressAttributes.contains(key), m.range(at: 2).location != NSNotFound else { continue }
                var value = a.substring(with: m.range(at: 2))
                if value.hasPrefix("\"") || value.hasPrefix("'") { value = String(value.dropFirst().dropLast()) }
                let address = normalised(value)
                for scheme in ["javascript:", "vbscript:", "data:", "file:", "livescript:", "mocha:"] where address.hasPrefix(scheme) {
                    // The report's figures are PNG data URIs in <img>: the one data: address allowed.
                    if scheme == "data:" && name == "img" && key == "src" && address.hasPrefix("data:image/png;base64,") { continue }
                    problems.append("<\(name) \(key)=\"\(value.prefix(60))\">")
                }
            }
        }
        if scriptCount != scripts { problems.append("\(scriptCount) <script> elements (expected \(scripts))") }
        return problems
    }

    /// An address as a browser reads its scheme: references decoded, white space and control
    /// characters removed, lowercased.
    static func normalised(_ value: String) -> String {
        var s = value
        let numeric = try! NSRegularExpression(pattern: "&#([xX]?)([0-9a-fA-F]+);?")
        while let m = numeric.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) {
            let ns = s as NSString
            let hex = ns.substring(with: m.range(at: 1)).isEmpty == false
            let code = UInt32(ns.substring(with: m.range(at: 2)), radix: hex ? 16 : 10) ?? 0xFFFD
            s = ns.replacingCharacters(in: m.range, with: String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}"))
        }
        for (name, c) in [("&colon;", ":"), ("&Tab;", "\t"), ("&NewLine;", "\n"), ("&amp;", "&"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">")] {
            s = s.replacingOccurrences(of: name, with: c)
        }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })).lowercased()
    }
}

/// Character references decoded the way a browser reads an attribute value, so a URL is
/// checked as the browser will see it: `&#106;avascript:`, `&#x6A;`, `&colon;` and `&Tab;`
/// all hide a scheme from a check on the raw text.
///
/// Numeric references are decoded with or without the closing `;` (browsers accept both in
/// attributes); named ones only from a short list, with `;`. Whatever is not decoded stays
/// literal, and the URL's `&` is escaped when written, so the browser cannot decode it either.
enum HTMLEntities {
    /// Named references worth decoding: the markup characters and those that can spell or
    /// split a scheme.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "Tab": "\t", "NewLine": "\n",
        "sol": "/", "bsol": "\\", "lpar": "(", "rpar": ")", "period": ".", "comma": ",", "semi": ";", "num": "#",
        "excl": "!", "quest": "?", "percnt": "%", "equals": "=", "plus": "+", "nbsp": "\u{A0}", "grave": "`",
    ]

    /// `text` with its character references replaced by the characters they stand for.
    static func decode(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == "&", let (scalar, next) = reference(s, at: i) {
                out.append(scalar)
                i = next
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The reference starting at `s[start]` (an `&`) and the index after it.
    private static func reference(_ s: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var i = start + 1
        if i < s.count, s[i] == "#" {
            i += 1
            let hex = i < s.count && (s[i] == "x" || s[i] == "X")
            if hex { i += 1 }
            var value: UInt32 = 0
            let digitsStart = i
            while i < s.count, let d = Character(s[i]).hexDigitValue, hex || d < 10 {
                // Saturate: an out-of-range reference becomes U+FFFD, as browsers do.
                value = min(value &* (hex ? 16 : 10) &+ UInt32(d), 0x11_0000)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < s.count, s[i] == ";" { i += 1 }
            return (Unicode.Scalar(value == 0 ? 0xFFFD : value) ?? "\u{FFFD}", i)
        }
        let nameStart = i
        while i < s.count, s[i].isASCII, Character(s[i]).isLetter || Character(s[i]).isNumber { i += 1 }
        guard i < s.count, s[i] == ";", i > nameStart else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<i]))
        guard let scalar = named[name] else { return nil }
        return (scalar, i + 1)
    }
}

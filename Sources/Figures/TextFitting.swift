import Foundation

extension Canvas {
    /// `text` shortened in the middle with "…" until it is no wider than `width` at `size`,
    /// keeping more of the end than of the start: a file name keeps its distinguishing tail
    /// and extension ("emd_1234…half_map_1.mrc"). Text that fits is returned as it is.
    public func middleTruncated(_ text: String, width: Double, size: Double, weight: FontWeight = .regular) -> String {
        guard textWidth(text, size: size, weight: weight) > width else { return text }
        let chars = Array(text)
        // The longest kept length that fits, found by bisection (width grows with length).
        var lo = 0, hi = chars.count - 1
        func shortened(_ kept: Int) -> String {
            let head = kept * 2 / 5, tail = kept - head
            return String(chars[..<head]) + "…" + String(chars[(chars.count - tail)...])
        }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if textWidth(shortened(mid), size: size, weight: weight) <= width { lo = mid } else { hi = mid - 1 }
        }
        return shortened(lo)
    }

    /// `text` in at most `maxLines` lines no wider than `width`: wrapped at spaces, a word too
    /// long for a line shortened in the middle, and, when the lines are too many, the rest
    /// put on the last line shortened in the middle (so the end of the text, usually the file
    /// name's tail, still shows).
    public func fittedLines(_ text: String, width: Double, maxLines: Int, size: Double, weight: FontWeight = .regular) -> [String] {
        let limit = max(1, maxLines)
        var lines = wrap(text, width: width, size: size, weight: weight)
        if lines.count > limit {
            let rest = lines[(limit - 1)...].joined(separator: " ")
            lines = Array(lines[..<(limit - 1)]) + [rest]
        }
        return lines.map { middleTruncated($0, width: width, size: size, weight: weight) }
    }
}

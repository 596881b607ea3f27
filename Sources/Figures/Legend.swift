import Foundation

/// One line of a legend.
public struct LegendEntry: Sendable {
    /// Text.
    public var label: String
    /// The line it stands for.
    public var style: LineStyle
    /// Whether to draw a filled block (bars, bands) instead of a line sample.
    public var filled: Bool

    /// An entry for a line (or, with `filled`, an area) in `style`.
    public init(_ label: String, style: LineStyle, filled: Bool = false) {
        self.label = label; self.style = style; self.filled = filled
    }
}

/// Which corner of the plotting frame a legend sits in.
public enum LegendCorner: Sendable { case topRight, topLeft, bottomLeft, bottomRight }

/// Legends: a framed box of line samples and labels inside a corner of the plot.
public enum Legend {
    static let pad = 6.0, sample = 22.0

    /// The box the legend takes in `corner` of `frame`.
    public static func box(_ entries: [LegendEntry], on canvas: Canvas, in frame: Rect, corner: LegendCorner) -> Rect {
        let m = canvas.fontMetrics(size: FigureFont.tick)
        let lineHeight = m.ascent + m.descent + 3
        let textWidth = entries.map { canvas.textWidth($0.label, size: FigureFont.tick) }.max() ?? 0
        let w = pad + sample + 6 + textWidth + pad
        let h = pad + lineHeight * Double(entries.count) - 3 + pad
        switch corner {
        case .topRight: return Rect(x: frame.maxX - w - 6, y: frame.minY + 6, width: w, height: h)
        case .topLeft: return Rect(x: frame.minX + 6, y: frame.minY + 6, width: w, height: h)
        case .bottomLeft: return Rect(x: frame.minX + 6, y: frame.maxY - h - 6, width: w, height: h)
        case .bottomRight: return Rect(x: frame.maxX - w - 6, y: frame.maxY - h - 6, width: w, height: h)
        }
    }

    /// The corner, in order of preference top right, top left, bottom right, bottom left,
    /// whose legend box covers the fewest of `points` (the data drawn).
    public static func bestCorner(_ entries: [LegendEntry], on canvas: Canvas, in frame: Rect, avoiding points: [Point]) -> LegendCorner {
        let corners: [LegendCorner] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        let covered = corners.map { c -> Int in
            let b = box(entries, on: canvas, in: frame, corner: c).insetBy(-4)
            return points.filter { $0.x >= b.minX && $0.x <= b.maxX && $0.y >= b.minY && $0.y <= b.maxY }.count
        }
        return corners[covered.indices.min { covered[$0] < covered[$1] }!]
    }

    /// Draws `entries` in `corner` of `frame` — or, without a corner, in the one that hides
    /// the fewest of `avoiding` — and returns the box drawn.
    @discardableResult
    public static func draw(_ entries: [LegendEntry], on canvas: Canvas, in frame: Rect, corner: LegendCorner? = nil,
                            avoiding points: [Point] = []) -> Rect {
        guard !entries.isEmpty else { return Rect(x: frame.x, y: frame.y, width: 0, height: 0) }
        let chosen = corner ?? bestCorner(entries, on: canvas, in: frame, avoiding: points)
        let b = box(entries, on: canvas, in: frame, corner: chosen)
        let m = canvas.fontMetrics(size: FigureFont.tick)
        let lineHeight = m.ascent + m.descent + 3
        canvas.fill(b, color: Color.white.withAlpha(0.9))
        canvas.stroke(b, color: Color(hex: 0xbbbbbb), width: 0.6)
        for (i, e) in entries.enumerated() {
            let cy = b.y + pad + lineHeight * Double(i) + (m.ascent + m.descent) / 2
            if e.filled {
                canvas.fill(Rect(x: b.x + pad, y: cy - 4, width: sample, height: 8), color: e.style.color)
            } else {
                canvas.strokeLine(from: Point(b.x + pad, cy), to: Point(b.x + pad + sample, cy), color: e.style.color,
                                  width: e.style.width, dash: e.style.dash)
            }
            canvas.text(e.label, at: Point(b.x + pad + sample + 6, cy), size: FigureFont.tick, vertical: .middle)
        }
        return b
    }
}

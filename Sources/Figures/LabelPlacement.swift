import Foundation

/// Places text labels where they hide nothing: each label takes, from its candidate
/// positions, the first one inside the bounds that overlaps no earlier label and crosses no
/// drawn line; failing that, the free one crossing the fewest lines. When every candidate
/// overlaps a label, it searches the whole bounds for the free spot nearest the first
/// candidate, so two labels never overlap while there is room for both.
public struct LabelPlacer {
    /// A candidate anchor and alignment.
    public typealias Candidate = (point: Point, horizontal: HorizontalAlignment, vertical: VerticalAlignment)

    /// A label's chosen place and the box it takes (text box plus clearance).
    public struct Placement {
        /// The anchor and alignment to draw with.
        public var candidate: Candidate
        /// The box taken.
        public var box: Rect
        /// Whether the place came from the search rather than the candidates (draw a leader
        /// line to what it labels).
        public var displaced: Bool
    }

    /// Clearance around each label's text, points.
    public static let clearance = 2.0

    /// Where labels must stay.
    public let bounds: Rect
    /// The lines drawn (curves, guides), which labels keep off.
    public var lines: [Segment]
    /// Boxes taken so far (other labels, the legend).
    public var taken: [Rect]

    /// A placer inside `bounds` keeping off `lines` and `taken`.
    public init(bounds: Rect, lines: [Segment], taken: [Rect] = []) {
        self.bounds = bounds
        self.lines = lines
        self.taken = taken
    }

    /// The number of lines that pass through `box`.
    public func linesCrossed(by box: Rect) -> Int {
        lines.reduce(0) { $0 + (box.intersects($1) ? 1 : 0) }
    }

    /// The place chosen for `text` at `size`; its box is marked taken.
    public mutating func place(_ text: String, size: Double, on canvas: Canvas, candidates: [Candidate]) -> Placement {
        func box(_ c: Candidate) -> Rect {
            canvas.textBox(text, at: c.point, size: size, horizontal: c.horizontal, vertical: c.vertical).insetBy(-Self.clearance)
        }
        var best: (candidate: Candidate, crossed: Int, box: Rect)? = nil
        for c in candidates {
            let b = box(c)
            guard fits(b) else { continue }
            let crossed = linesCrossed(by: b)
            if best == nil || crossed < best!.crossed { best = (c, crossed, b) }
            if crossed == 0 { break }
        }
        if let best, best.crossed == 0 { return take(Placement(candidate: best.candidate, box: best.box, displaced: false)) }
        // A grid over the bounds, nearest the first candidate first: a spot crossing no line
        // beats a candidate that crosses one.
        let first = candidates.first ?? (Point(bounds.minX, bounds.minY), .left, .top)
        let size0 = box(first)
        let step = 3.0
        var spots: [(candidate: Candidate, distance: Double)] = []
        var y = bounds.minY
        while y + size0.height <= bounds.maxY {
            var x = bounds.minX
            while x + size0.width <= bounds.maxX {
                let d = hypot(x - size0.minX, y - size0.minY)
                spots.append(((Point(x + Self.clearance, y + Self.clearance), .left, .top), d))
                x += step
            }
            y += step
        }
        spots.sort { $0.distance < $1.distance }
        var fallback: (candidate: Candidate, crossed: Int, box: Rect)? = nil
        for s in spots {
            let b = Rect(x: s.candidate.point.x - Self.clearance, y: s.candidate.point.y - Self.clearance, width: size0.width, height: size0.height)
            guard fits(b) else { continue }
            let crossed = linesCrossed(by: b)
            if crossed == 0 { fallback = (s.candidate, 0, b); break }
            if fallback == nil || crossed < fallback!.crossed { fallback = (s.candidate, crossed, b) }
        }
        if let best, fallback == nil || best.crossed <= fallback!.crossed {
            return take(Placement(candidate: best.candidate, box: best.box, displaced: false))
        }
        if let fallback { return take(Placement(candidate: fallback.candidate, box: fallback.box, displaced: true)) }
        // No room at all: the first candidate, over whatever is there.
        return take(Placement(candidate: first, box: size0, displaced: false))
    }

    private func fits(_ b: Rect) -> Bool {
        b.minX >= bounds.minX && b.maxX <= bounds.maxX && b.minY >= bounds.minY && b.maxY <= bounds.maxY
            && !taken.contains(where: { $0.intersects(b) })
    }

    private mutating func take(_ p: Placement) -> Placement {
        taken.append(p.box)
        return p
    }
}

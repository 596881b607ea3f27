import Foundation

/// Places text labels where they hide the least: each label takes, from its candidate
/// positions, the one inside the bounds that overlaps no earlier label and covers the fewest
/// drawn data points (earlier candidates win ties).
public struct LabelPlacer {
    /// A candidate anchor and alignment.
    public typealias Candidate = (point: Point, horizontal: HorizontalAlignment, vertical: VerticalAlignment)

    /// Where labels must stay.
    public let bounds: Rect
    /// Points of curves drawn (see `PlotArea.samplePoints`).
    public var obstacles: [Point]
    /// Boxes taken so far (other labels, the legend).
    public var taken: [Rect]

    /// A placer inside `bounds` avoiding `obstacles` and `taken`.
    public init(bounds: Rect, obstacles: [Point], taken: [Rect] = []) {
        self.bounds = bounds
        self.obstacles = obstacles
        self.taken = taken
    }

    /// The chosen candidate for `text` at `size`; its box is marked taken.
    public mutating func place(_ text: String, size: Double, on canvas: Canvas, candidates: [Candidate]) -> Candidate {
        var best: (Candidate, Int, Rect)? = nil
        for c in candidates {
            let box = canvas.textBox(text, at: c.point, size: size, horizontal: c.horizontal, vertical: c.vertical).insetBy(-2)
            guard box.minX >= bounds.minX, box.maxX <= bounds.maxX, box.minY >= bounds.minY, box.maxY <= bounds.maxY,
                  !taken.contains(where: { $0.intersects(box) }) else { continue }
            let covered = obstacles.reduce(0) { $0 + ($1.x >= box.minX && $1.x <= box.maxX && $1.y >= box.minY && $1.y <= box.maxY ? 1 : 0) }
            if best == nil || covered < best!.1 { best = (c, covered, box) }
            if covered == 0 { break }
        }
        guard let (choice, _, box) = best else { return candidates[0] }
        taken.append(box)
        return choice
    }
}

/// A point on a figure, in points (1/72 inch), y downwards as Cairo draws.
public struct Point: Equatable, Sendable, Codable {
    /// Horizontal position.
    public var x: Double
    /// Vertical position (downwards).
    public var y: Double

    /// The point (x, y).
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle on a figure, in points.
public struct Rect: Equatable, Sendable, Codable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// The rectangle with top-left corner (x, y).
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// Left edge.
    public var minX: Double { x }
    /// Right edge.
    public var maxX: Double { x + width }
    /// Top edge.
    public var minY: Double { y }
    /// Bottom edge.
    public var maxY: Double { y + height }

    /// Whether the two rectangles overlap (touching edges do not count).
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    /// The rectangle grown by `d` on every side.
    public func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

/// The size of a figure in points. PNGs are rendered at a multiple of it.
public struct FigureSize: Equatable, Sendable, Codable {
    /// Width in points.
    public var width: Double
    /// Height in points.
    public var height: Double

    /// A size of `width` × `height` points.
    public init(_ width: Double, _ height: Double) { self.width = width; self.height = height }

    /// The standard size of a single plot: fits an A4 text column and a laptop browser.
    public static let plot = FigureSize(600, 380)
}

/// A straight piece of a drawn line, in points.
public struct Segment: Equatable, Sendable {
    /// One end.
    public var a: Point
    /// The other end.
    public var b: Point

    /// The segment from `a` to `b`.
    public init(_ a: Point, _ b: Point) { self.a = a; self.b = b }
}

extension Rect {
    /// Whether `s` passes through the rectangle (or touches it): Liang–Barsky clipping of the
    /// segment's parameter range to the rectangle's four edges.
    public func intersects(_ s: Segment) -> Bool {
        let dx = s.b.x - s.a.x, dy = s.b.y - s.a.y
        var t0 = 0.0, t1 = 1.0
        // Each edge as p·t ≤ q: the part of the segment on the inner side of it.
        for (p, q) in [(-dx, s.a.x - minX), (dx, maxX - s.a.x), (-dy, s.a.y - minY), (dy, maxY - s.a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return false }
            }
        }
        return true
    }
}

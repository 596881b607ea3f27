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

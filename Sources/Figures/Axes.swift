import Foundation

/// How a line is drawn.
public struct LineStyle: Equatable, Sendable, Codable {
    /// Colour.
    public var color: Color
    /// Width in points.
    public var width: Double
    /// Dash pattern in points (on, off, …); empty for solid.
    public var dash: [Double]

    /// A line style.
    public init(color: Color, width: Double = 1.5, dash: [Double] = []) {
        self.color = color; self.width = width; self.dash = dash
    }

    /// Dashes for thresholds.
    public static let dashed: [Double] = [5, 3]
    /// Dots for secondary guides.
    public static let dotted: [Double] = [1.5, 2.5]
    /// Dash-dot for reference values.
    public static let dashDot: [Double] = [6, 2.5, 1.5, 2.5]

    /// The pattern as a caption names it: "solid", "dashed", "dotted" (dashes shorter than
    /// 3 points) or "dash-dotted" (a pattern of two dash lengths). Captions take their words
    /// from the style drawn, so the two cannot disagree.
    public var patternName: String {
        guard let on = dash.first else { return "solid" }
        if dash.count >= 4 && dash[0] != dash[2] { return "dash-dotted" }
        return on < 3 ? "dotted" : "dashed"
    }
}

/// Font sizes shared by every figure, in points.
public enum FigureFont {
    /// Figure titles.
    public static let title = 12.5
    /// Axis titles.
    public static let label = 10.5
    /// Tick labels, legends and annotations.
    public static let tick = 9.0
}

/// The plotting rectangle of a figure with its two linear scales: maps data to points and draws
/// axes, grid, curves and guides. Everything drawn through it in data units is clipped to
/// the frame.
public struct PlotArea {
    /// The canvas drawn on.
    public let canvas: Canvas
    /// The plotting rectangle.
    public let frame: Rect
    /// Data range along x (left to right).
    public let xDomain: ClosedRange<Double>
    /// Data range along y (bottom to top).
    public let yDomain: ClosedRange<Double>

    /// A plot area of `frame` on `canvas` showing `x` × `y`.
    public init(canvas: Canvas, frame: Rect, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.canvas = canvas
        self.frame = frame
        self.xDomain = x
        self.yDomain = y
    }

    /// Points per data unit along x.
    public var pointsPerXUnit: Double { frame.width / (xDomain.upperBound - xDomain.lowerBound) }

    /// Horizontal position of data value `x`.
    public func px(_ x: Double) -> Double {
        frame.minX + (x - xDomain.lowerBound) * pointsPerXUnit
    }

    /// Vertical position of data value `y`.
    public func py(_ y: Double) -> Double {
        frame.maxY - (y - yDomain.lowerBound) / (yDomain.upperBound - yDomain.lowerBound) * frame.height
    }

    /// The canvas point of data point (x, y).
    public func point(_ x: Double, _ y: Double) -> Point { Point(px(x), py(y)) }

    /// Whether `x` lies inside the x range.
    public func containsX(_ x: Double) -> Bool { x >= xDomain.lowerBound && x <= xDomain.upperBound }

    /// Light grid lines at the given data positions.
    public func drawGrid(x: [Double], y: [Double]) {
        for v in x where containsX(v) {
            canvas.strokeLine(from: Point(px(v), frame.minY), to: Point(px(v), frame.maxY), color: .grid, width: 0.6)
        }
        for v in y where yDomain.contains(v) {
            canvas.strokeLine(from: Point(frame.minX, py(v)), to: Point(frame.maxX, py(v)), color: .grid, width: 0.6)
        }
    }

    /// The frame around the plotting rectangle.
    public func drawFrame() { canvas.stroke(frame, color: .ink, width: 0.9) }

    /// Ticks and labels under the frame, with the axis title centred below.
    public func drawBottomAxis(_ ticks: [Tick], title: String) {
        let m = canvas.fontMetrics(size: FigureFont.tick)
        for t in ticks where containsX(t.value) {
            let x = px(t.value)
            canvas.strokeLine(from: Point(x, frame.maxY), to: Point(x, frame.maxY + 4), color: .ink, width: 0.9)
            canvas.text(t.label, at: Point(x, frame.maxY + 6), size: FigureFont.tick, horizontal: .center, vertical: .top)
        }
        canvas.text(title, at: Point(frame.minX + frame.width / 2, frame.maxY + 10 + m.ascent + m.descent),
                    size: FigureFont.label, horizontal: .center, vertical: .top)
    }

    /// Ticks and labels above the frame, with the axis title centred above them.
    public func drawTopAxis(_ ticks: [Tick], title: String) {
        let m = canvas.fontMetrics(size: FigureFont.tick)
        for t in ticks where containsX(t.value) {
            let x = px(t.value)
            canvas.strokeLine(from: Point(x, frame.minY), to: Point(x, frame.minY - 4), color: .ink, width: 0.9)
            canvas.text(t.label, at: Point(x, frame.minY - 6), size: FigureFont.tick, horizontal: .center, vertical: .bottom)
        }
        canvas.text(title, at: Point(frame.minX + frame.width / 2, frame.minY - 10 - m.ascent - m.descent),
                    size: FigureFont.label, horizontal: .center, vertical: .bottom)
    }

    /// Ticks and labels left of the frame, with the axis title turned upright beside them.
    public func drawLeftAxis(_ ticks: [Tick], title: String) {
        var widest = 0.0
        for t in ticks where yDomain.contains(t.value) {
            let y = py(t.value)
            canvas.strokeLine(from: Point(frame.minX - 4, y), to: Point(frame.minX, y), color: .ink, width: 0.9)
            let box = canvas.text(t.label, at: Point(frame.minX - 6, y), size: FigureFont.tick, horizontal: .right, vertical: .middle)
            widest = max(widest, box.width)
        }
        canvas.text(title, at: Point(frame.minX - 12 - widest, frame.minY + frame.height / 2), size: FigureFont.label,
                    horizontal: .center, vertical: .bottom, rotation: .pi / 2)
    }

    /// Draws a curve through (xs[i], ys[i]); non-finite or missing values break it.
    public func curve(x xs: [Double], y ys: [Double?], style: LineStyle) {
        var pts: [Point?] = []
        pts.reserveCapacity(xs.count)
        for (x, y) in zip(xs, ys) {
            if let y, y.isFinite, x.isFinite { pts.append(point(x, y)) } else { pts.append(nil) }
        }
        canvas.withSavedState {
            canvas.clip(to: frame)
            canvas.strokePolyline(pts, color: style.color, width: style.width, dash: style.dash)
        }
    }

    /// Draws a curve through (xs[i], ys[i]) given as plain numbers.
    public func curve(x xs: [Double], y ys: [Double], style: LineStyle) {
        curve(x: xs, y: ys.map { Optional($0) }, style: style)
    }

    /// The canvas points of the finite data points inside the frame, densified along each
    /// segment so that a legend placed by `Legend.bestCorner` does not sit on a steep line.
    public func samplePoints(x xs: [Double], y ys: [Double?]) -> [Point] {
        var out: [Point] = []
        var previous: Point? = nil
        for (x, y) in zip(xs, ys) {
            guard let y, y.isFinite, x.isFinite, containsX(x), yDomain.contains(y) else { previous = nil; continue }
            let p = point(x, y)
            if let q = previous {
                let steps = Int(max(abs(p.x - q.x), abs(p.y - q.y)) / 4)
                if steps > 1 { for k in 1..<steps { let t = Double(k) / Double(steps); out.append(Point(q.x + (p.x - q.x) * t, q.y + (p.y - q.y) * t)) } }
            }
            out.append(p)
            previous = p
        }
        return out
    }

    /// The straight pieces of the curve through (xs[i], ys[i]) as drawn (non-finite or
    /// missing values break it), for keeping labels off it.
    public func segments(x xs: [Double], y ys: [Double?]) -> [Segment] {
        var out: [Segment] = []
        var previous: Point? = nil
        for (x, y) in zip(xs, ys) {
            guard let y, y.isFinite, x.isFinite else { previous = nil; continue }
            let p = point(x, y)
            if let q = previous { out.append(Segment(q, p)) }
            previous = p
        }
        return out
    }

    /// A horizontal line across the frame at data value `y`.
    public func horizontalLine(at y: Double, style: LineStyle) {
        guard yDomain.contains(y) else { return }
        canvas.strokeLine(from: Point(frame.minX, py(y)), to: Point(frame.maxX, py(y)), color: style.color, width: style.width, dash: style.dash)
    }

    /// A vertical line at data value `x`, between data values `y0` and `y1` (default: the full height).
    public func verticalLine(at x: Double, from y0: Double? = nil, to y1: Double? = nil, style: LineStyle) {
        guard containsX(x) else { return }
        let top = y1.map { py(min($0, yDomain.upperBound)) } ?? frame.minY
        let bottom = y0.map { py(max($0, yDomain.lowerBound)) } ?? frame.maxY
        canvas.strokeLine(from: Point(px(x), bottom), to: Point(px(x), top), color: style.color, width: style.width, dash: style.dash)
    }

    /// Shades the vertical band between data values `x0` and `x1`.
    public func shadeBand(from x0: Double, to x1: Double, color: Color) {
        let a = px(max(min(x0, x1), xDomain.lowerBound)), b = px(min(max(x0, x1), xDomain.upperBound))
        guard b > a else { return }
        canvas.fill(Rect(x: a, y: frame.minY, width: b - a, height: frame.height), color: color)
    }

    /// Draws `text` on a white patch so it stays readable over curves; returns its box.
    @discardableResult
    public func label(_ text: String, at p: Point, color: Color = .ink, horizontal: HorizontalAlignment = .left,
                      vertical: VerticalAlignment = .bottom, weight: FontWeight = .regular) -> Rect {
        let box = canvas.textBox(text, at: p, size: FigureFont.tick, weight: weight, horizontal: horizontal, vertical: vertical)
        canvas.fill(box.insetBy(-1.5), color: Color.white.withAlpha(0.85))
        canvas.text(text, at: p, size: FigureFont.tick, weight: weight, color: color, horizontal: horizontal, vertical: vertical)
        return box
    }
}

/// Where a figure's parts go.
public enum PlotLayout {
    /// The plotting frame inside a figure of `size`, leaving room for the title, axis titles
    /// and, with `topAxis`, a second labelled axis above the frame.
    public static func frame(in size: FigureSize, topAxis: Bool, rightMargin: Double = 18) -> Rect {
        let top = 30.0 + (topAxis ? 38 : 6)
        let left = 66.0, bottom = 46.0
        return Rect(x: left, y: top, width: size.width - left - rightMargin, height: size.height - top - bottom)
    }

    /// Draws the figure title at the top left.
    public static func drawTitle(_ title: String, on canvas: Canvas) {
        canvas.text(title, at: Point(12, 10), size: FigureFont.title, weight: .bold, vertical: .top)
    }
}

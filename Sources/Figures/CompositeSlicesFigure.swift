import Foundation
import MapModel

/// Which focused map a composite takes where: the central X, Y and Z slices of the composite,
/// each pixel coloured by the maps' weights there (the weighted mix of one colour per map) and
/// as bright as the composite's density, with a legend naming the maps.
public struct CompositeSlicesFigure: RasterFigure, Codable, Sendable {
    /// Title above the figure.
    public var title: String
    /// The composite's central slices.
    public var density: [SliceImage]
    /// Per map, its weight on the same slices (0 … 1).
    public var weights: [[SliceImage]]
    /// The maps' names, in the legend.
    public var names: [String]
    /// Density drawn black and full brightness (the 1st and 99.5th percentiles of the slices).
    public var lower: Double, upper: Double
    /// Size in points.
    public var size: FigureSize

    /// One colour per map (Okabe–Ito, skipping black), repeating after seven.
    public static func color(_ i: Int) -> Color { Array(OkabeIto.cycle.dropFirst())[i % (OkabeIto.cycle.count - 1)] }

    /// The figure of `composite` and its `weights` (one map per input, on its grid).
    public init(title: String, composite: Volume, weights: [Volume], names: [String], width: Double = 600) {
        self.title = title
        density = CentralSlices.of(composite)
        self.weights = weights.map { CentralSlices.of($0) }
        self.names = names
        let values = density.flatMap(\.values).filter(\.isFinite).sorted()
        lower = Percentiles.of(sorted: values, 1)
        upper = Percentiles.of(sorted: values, 99.5)
        if !(upper > lower) { upper = lower + 1 }
        let tile = (width - 2 * 12 - 2 * 8) / 3
        let aspect = density.map { $0.physicalHeight / max($0.physicalWidth, 1e-9) }.max() ?? 1
        size = FigureSize(width, 40 + 34 + tile * min(aspect, 1.6) + 16 + 18 * Double((names.count + 2) / 3))
    }

    /// The ARGB pixels of slice `s`.
    func pixels(_ s: Int) -> [UInt32] {
        let d = density[s]
        let colors = names.indices.map(Self.color)
        return (0..<d.values.count).map { p in
            let t = min(1, max(0, (Double(d.values[p]) - lower) / (upper - lower)))
            var r = 0.0, g = 0.0, b = 0.0
            for (i, c) in colors.enumerated() where i < weights.count {
                let w = Double(weights[i][s].values[p])
                r += w * c.red; g += w * c.green; b += w * c.blue
            }
            // Dark where the density is low, the maps' colour mix where it is high.
            let base = 0.06
            return Canvas.pixel(Color(red: base + t * (r - base), green: base + t * (g - base), blue: base + t * (b - base)))
        }
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let left = 12.0, gap = 8.0, top = 74.0
        let tileWidth = (size.width - 2 * left - 2 * gap) / 3
        var x = left, tallest = 0.0
        for (i, s) in density.prefix(3).enumerated() {
            let scale = tileWidth / max(s.physicalWidth, 1e-9)
            let rect = Rect(x: x, y: top, width: tileWidth, height: min(s.physicalHeight * scale, tileWidth * 1.6))
            tallest = max(tallest, rect.height)
            canvas.text(s.label, at: Point(rect.minX + rect.width / 2, top - 18), size: FigureFont.label, weight: .bold, horizontal: .center, vertical: .bottom)
            canvas.text(s.orientation, at: Point(rect.minX + rect.width / 2, top - 4), size: FigureFont.tick, color: Color(hex: 0x555555), horizontal: .center, vertical: .bottom)
            canvas.image(pixels(i), width: s.width, height: s.height, in: rect, smooth: false)
            canvas.stroke(rect, color: Color(hex: 0x999999), width: 0.5)
            x += tileWidth + gap
        }
        var y = top + tallest + 14
        for (i, name) in names.enumerated() {
            let column = Double(i % 3), lx = left + column * (tileWidth + gap)
            if i > 0 && i % 3 == 0 { y += 18 }
            canvas.fill(Rect(x: lx, y: y - 5, width: 12, height: 10), color: Self.color(i))
            canvas.text(name, at: Point(lx + 18, y), size: FigureFont.tick, vertical: .middle)
        }
    }
}

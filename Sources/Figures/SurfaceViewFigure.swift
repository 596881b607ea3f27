import Foundation
import MapModel

/// Isosurfaces of one or more maps seen along x, y and z (orthographic, lit from the upper
/// left), one row per map, all tiles at one scale in points per Å. Coloured by local
/// resolution with a colour bar in Å when the surfaces carry values and a colour scale is
/// given; plain grey-blue otherwise.
///
/// The surfaces are rendered when they are made (`surface(of:level:resolution:)`), so the
/// figure holds only small rasters and can be cached, encoded and drawn again without the maps.
public struct SurfaceViewFigure: RasterFigure, Codable, Sendable {
    /// One map's row.
    public struct Map: Codable, Sendable, Equatable {
        /// Row label (the map's name).
        public var label: String
        /// Its rendered surface.
        public var surface: Surface

        /// A row.
        public init(label: String, surface: Surface) { self.label = label; self.surface = surface }
    }

    /// How colour values become colours: `lower` (the best resolution) at the low end of
    /// `colorMap` and the bottom of the bar, `upper` at the top.
    public struct ColorScale: Codable, Sendable, Equatable {
        /// The colour map.
        public var colorMap: ColorMap
        /// Value at the low end, Å.
        public var lower: Double
        /// Value at the high end, Å.
        public var upper: Double
        /// Title of the colour bar.
        public var title: String

        /// A scale.
        public init(colorMap: ColorMap = .viridis, lower: Double, upper: Double, title: String = "Local resolution (Å)") {
            self.colorMap = colorMap; self.lower = lower; self.upper = upper; self.title = title
        }
    }

    /// Title above the figure.
    public var title: String
    /// Rows, top to bottom.
    public var maps: [Map]
    /// The colouring, or nil for plain surfaces.
    public var colorScale: ColorScale?
    /// Size in points (follows from the width and the number of rows).
    public var size: FigureSize

    /// The colour of a surface without colour values.
    public static let plainColor = Color(hex: 0xa9bcd6)

    /// A figure of `maps`, coloured by `colorBar` (see `colorScale(for:colorMap:)` for the
    /// usual range) or plain when it is nil.
    public init(title: String, maps: [Map], colorBar: ColorScale?, width: Double = 600) {
        self.title = title
        self.maps = maps
        self.colorScale = colorBar
        self.size = FigureSize(width, 0)
        self.size.height = layout().height
    }

    /// The colour scale of the local-resolution figures: the 2nd to 98th percentile of the
    /// values on the surfaces (the widest of the maps'), never finer than Nyquist, at least
    /// 0.5 Å wide. Nil when no surface carries values.
    public static func colorScale(for maps: [Map], colorMap: ColorMap = .viridis) -> ColorScale? {
        let coloured = maps.map(\.surface).filter { $0.valuePercentiles != nil }
        guard !coloured.isEmpty else { return nil }
        let nyquist = coloured.compactMap(\.nyquist).max() ?? 0
        let lower = max(coloured.map { $0.valuePercentiles!.lowerBound }.min()!, nyquist)
        let upper = max(coloured.map { $0.valuePercentiles!.upperBound }.max()!, lower + 0.5)
        return ColorScale(colorMap: colorMap, lower: lower, upper: upper)
    }

    // MARK: layout

    struct Layout {
        /// Points per Å.
        var scale: Double
        var columnX: [Double]
        var rowY: [Double]
        /// Each row's height: its tallest view (maps in different boxes differ).
        var rowHeights: [Double]
        var height: Double

        /// Where `view` of row `row` is drawn.
        func tile(row: Int, column: Int, _ view: View) -> Rect {
            Rect(x: columnX[column], y: rowY[row], width: view.physicalWidth * scale, height: view.physicalHeight * scale)
        }
    }

    static let top = 58.0, gap = 8.0, margin = 12.0, labelWidth = 112.0, barBand = 78.0, tallestRow = 190.0

    func layout() -> Layout {
        let views = maps.map(\.surface.views)
        let widths = (0..<3).map { c in views.map { c < $0.count ? $0[c].physicalWidth : 0 }.max() ?? 0 }
        let heights = views.map { $0.map(\.physicalHeight).max() ?? 0 }
        let available = size.width - 2 * Self.margin - Self.labelWidth - 2 * Self.gap - (colorScale == nil ? 0 : Self.barBand)
        let total = widths.reduce(0, +)
        var scale = total > 0 ? available / total : 1
        if let tallest = heights.max(), tallest * scale > Self.tallestRow { scale = Self.tallestRow / tallest }
        var x = Self.margin + Self.labelWidth
        let columnX = widths.map { w -> Double in defer { x += w * scale + Self.gap }; return x }
        let rowHeights = heights.map { $0 * scale }
        var y = Self.top
        let rowY = rowHeights.map { h -> Double in defer { y += h + Self.gap }; return y }
        return Layout(scale: scale, columnX: columnX, rowY: rowY, rowHeights: rowHeights, height: max(y + 14, colorScale == nil ? 0 : Self.top + 80))
    }

    // MARK: drawing

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let l = layout()
        if let first = maps.first {
            for (c, v) in first.surface.views.enumerated() where c < l.columnX.count {
                let middle = l.columnX[c] + v.physicalWidth * l.scale / 2
                canvas.text(v.direction.label, at: Point(middle, Self.top - 18), size: FigureFont.label, weight: .bold, horizontal: .center, vertical: .bottom)
                canvas.text(v.direction.orientation, at: Point(middle, Self.top - 4), size: FigureFont.tick, color: Color(hex: 0x555555),
                            horizontal: .center, vertical: .bottom)
            }
        }
        for (r, map) in maps.enumerated() {
            drawLabel(map, top: l.rowY[r], height: l.rowHeights[r], on: canvas)
            for (c, view) in map.surface.views.enumerated() where c < l.columnX.count {
                let rect = l.tile(row: r, column: c, view)
                canvas.image(pixels(of: view, range: map.surface.valueRange), width: view.width, height: view.height, in: rect, smooth: true)
                canvas.stroke(rect, color: Color(hex: 0xbbbbbb), width: 0.5)
            }
        }
        if let s = colorScale, let last = l.columnX.last, let lastWidth = maps.first?.surface.views.last?.physicalWidth {
            let height = max(60, min(l.rowHeights.reduce(0, +) + Self.gap * Double(maps.count - 1), 260))
            let bar = Rect(x: last + lastWidth * l.scale + 16, y: Self.top, width: 12, height: height)
            ColorBar.vertical(s.colorMap, lo: s.lower, hi: s.upper, in: bar, title: s.title, on: canvas)
        }
    }

    /// The map's name, wrapped to the label column, and its contour level and enclosed volume.
    private func drawLabel(_ map: Map, top: Double, height: Double, on canvas: Canvas) {
        let m = canvas.fontMetrics(size: FigureFont.label)
        let line = m.ascent + m.descent + 1
        let detail = [String(format: "level %.4g", map.surface.level), "encloses " + Self.volumeText(map.surface.enclosedVolume)]
        let room = max(0, Int((height / line).rounded(.down)) - detail.count)
        let name = canvas.fittedLines(map.label, width: Self.labelWidth - 10, maxLines: max(1, room), size: FigureFont.label)
        var y = max(top, top + height / 2 - line * Double(name.count + detail.count) / 2)
        for text in name {
            canvas.text(text, at: Point(Self.margin, y), size: FigureFont.label, vertical: .top)
            y += line
        }
        for text in detail {
            canvas.text(text, at: Point(Self.margin, y), size: FigureFont.tick, color: Color(hex: 0x555555), vertical: .top)
            y += line
        }
    }

    /// A volume in nm³, to three significant figures below 100 nm³.
    static func volumeText(_ cubicAngstroms: Double) -> String {
        let nm3 = cubicAngstroms / 1000
        return nm3 >= 100 ? String(format: "%.0f nm³", nm3) : String(format: "%.3g nm³", nm3)
    }

    /// ARGB pixels of `view`: the colour of its value on the scale (or the plain colour),
    /// times its brightness; transparent where no surface is seen.
    func pixels(of view: View, range: ClosedRange<Double>?) -> [UInt32] {
        let shade = [UInt8](view.shade), value = [UInt8](view.value)
        // The colour of each value byte, worked out once: 256 lookups instead of one per pixel.
        let palette: [Color] = (0...255).map { b in
            guard let s = colorScale, let range, b > 0 else { return Self.plainColor }
            let v = ValueBytes.decode(UInt8(b), over: range)
            return s.colorMap.color(at: (v - s.lower) / (s.upper > s.lower ? s.upper - s.lower : 1))
        }
        return shade.indices.map { i in
            guard shade[i] > 0 else { return 0 }
            let c = palette[i < value.count ? Int(value[i]) : 0]
            let k = Double(shade[i]) / 255
            return Canvas.pixel(Color(red: c.red * k, green: c.green * k, blue: c.blue * k))
        }
    }
}

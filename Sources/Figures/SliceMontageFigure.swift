import CCairo
import Foundation
import MapbookCore
import MapModel

/// Which tiles of a slice montage share one grey scale.
public enum MontageContrast: String, ParameterChoice, Codable, Sendable {
    /// One grey range for every tile: densities compare across maps.
    case montage
    /// One grey range per row (map): each map's own structure shows, whatever its scale.
    case row
}

/// Central X, Y and Z slices of one or more maps, one row per map, in grey with one contrast
/// for the whole montage.
///
/// Contrast: each map is first standardised (its mean subtracted, divided by its standard
/// deviation over the box), so maps on different scales — a half map and a sharpened map —
/// compare; then the grey range is set by robust percentiles of all slices shown (1st–99th
/// by default), shared by every tile, rather than each image's minimum and maximum, which
/// leaves noisy sharpened maps washed out. The range is printed on the colour bar.
public struct SliceMontageFigure: RasterFigure, Codable, Sendable {
    /// One map's slices.
    public struct Row: Codable, Sendable {
        /// Row label (the map's name).
        public var label: String
        /// The X, Y and Z slices.
        public var slices: [SliceImage]
        /// Per slice, the mask's outline (its contour at 0.5) in image units; nil: no mask.
        public var outlines: [[OutlineSegment]]?
        /// Per slice, the model's atoms near the slice plane, in image units; nil: no model.
        public var atoms: [[Point]]?
        /// The map at reduced size for the report's slice browser; nil: not browsable.
        public var stack: SliceStack?

        /// A row.
        public init(label: String, slices: [SliceImage], outlines: [[OutlineSegment]]? = nil, atoms: [[Point]]? = nil, stack: SliceStack? = nil) {
            self.label = label; self.slices = slices; self.outlines = outlines; self.atoms = atoms; self.stack = stack
        }

        /// The row with its values mapped through `transform` (the overlays are unchanged).
        public func mapped(_ transform: (Float) -> Float) -> Row {
            var r = self
            r.slices = slices.map { $0.mapped(transform) }
            return r
        }
    }

    /// Title above the montage.
    public var title: String
    /// Rows, top to bottom.
    public var rows: [Row]
    /// Value drawn black.
    public var lower: Double
    /// Value drawn white.
    public var upper: Double
    /// Whether values are in standard deviations of each map (σ) rather than raw densities.
    public var standardized: Bool
    /// Percentiles that set `lower` and `upper`.
    public var percentiles: [Double]
    /// Whether the grey range is shared by the montage or set per row.
    public var contrast: MontageContrast
    /// Per row, the values drawn black and white (all equal to `lower`, `upper` when the
    /// contrast is shared by the montage).
    public var rowRanges: [[Double]]
    /// Size in points (follows from the width and the number of rows).
    public var size: FigureSize

    /// A montage of `maps` (label, volume), contrast from the `lowerPercentile` and
    /// `upperPercentile` of all slice values after standardising each map.
    public init(title: String, maps: [(label: String, volume: Volume)], lowerPercentile: Double = 1, upperPercentile: Double = 99,
                standardize: Bool = true, width: Double = 600) {
        self.init(title: title, rows: Self.rows(maps, standardize: standardize), lowerPercentile: lowerPercentile, upperPercentile: upperPercentile,
                  standardized: standardize, width: width)
    }

    /// The rows of a montage of `maps` (label, volume): their central slices, each map
    /// standardised (mean 0, standard deviation 1) when `standardize` is set.
    public static func rows(_ maps: [(label: String, volume: Volume)], standardize: Bool = true) -> [Row] {
        maps.map { row($0.label, of: $0.volume, standardize: standardize) }
    }

    /// `row` of `volume` in standard deviations of the map about its mean.
    public static func standardized(_ row: Row, of volume: Volume) -> Row {
        let s = volume.statistics
        let mean = Float(s.mean), sd = Float(s.rms > 0 ? s.rms : 1)
        return row.mapped { ($0 - mean) / sd }
    }

    /// A montage of prepared rows; contrast from percentiles of their values, over all tiles
    /// or per row (`contrast`).
    public init(title: String, rows: [Row], lowerPercentile: Double = 1, upperPercentile: Double = 99, standardized: Bool,
                contrast: MontageContrast = .montage, width: Double = 600) {
        let whole = Self.greyRange(rows.flatMap { $0.slices.flatMap(\.values) }, lowerPercentile, upperPercentile)
        self.title = title
        self.rows = rows
        self.lower = whole[0]
        self.upper = whole[1]
        self.standardized = standardized
        self.percentiles = [lowerPercentile, upperPercentile]
        self.contrast = contrast
        self.rowRanges = rows.map { contrast == .row ? Self.greyRange($0.slices.flatMap(\.values), lowerPercentile, upperPercentile) : whole }
        self.size = FigureSize(width, 0)
        self.size.height = layout().height
    }

    /// The values at the two percentiles of `values` (their range when the percentiles agree).
    static func greyRange(_ values: [Float], _ lowerPercentile: Double, _ upperPercentile: Double) -> [Double] {
        let all = values.filter(\.isFinite).sorted()
        var lo = Percentiles.of(sorted: all, lowerPercentile), hi = Percentiles.of(sorted: all, upperPercentile)
        if !(hi > lo) { lo = Double(all.first ?? 0); hi = Double(all.last ?? 1); if !(hi > lo) { hi = lo + 1 } }
        return [lo, hi]
    }

    struct Layout {
        var labelWidth: Double
        var scale: Double          // points per Å
        var columnX: [Double]
        var rowY: [Double]
        var rowHeight: Double
        var height: Double
    }

    static let top = 58.0, gap = 8.0, margin = 12.0, bottomBand = 62.0

    func layout() -> Layout {
        let labelWidth = 112.0
        let widths = (0..<3).map { c in rows.map { c < $0.slices.count ? $0.slices[c].physicalWidth : 0 }.max() ?? 0 }
        let heights = rows.map { $0.slices.map(\.physicalHeight).max() ?? 0 }
        let available = size.width - Self.margin * 2 - labelWidth - Self.gap * 2
        var scale = widths.reduce(0, +) > 0 ? available / widths.reduce(0, +) : 1
        // Keep rows from growing taller than 190 points (long, thin boxes).
        if let tallest = heights.max(), tallest * scale > 190 { scale = 190 / tallest }
        var x = Self.margin + labelWidth
        var columnX: [Double] = []
        for w in widths { columnX.append(x); x += w * scale + Self.gap }
        let rowHeight = (heights.max() ?? 0) * scale
        var rowY: [Double] = []
        var y = Self.top
        for _ in rows { rowY.append(y); y += rowHeight + Self.gap }
        return Layout(labelWidth: labelWidth, scale: scale, columnX: columnX, rowY: rowY, rowHeight: rowHeight,
                      height: y + Self.bottomBand)
    }

    static func labelLineHeight(on canvas: Canvas) -> Double {
        let m = canvas.fontMetrics(size: FigureFont.label)
        return m.ascent + m.descent + 1
    }

    /// A row's label as drawn: wrapped to the label column, long words (file names)
    /// shortened in the middle, and no more lines than the row is tall.
    func rowLabelLines(_ label: String, layout l: Layout, on canvas: Canvas) -> [String] {
        let maxLines = Int((max(l.rowHeight, 0) / Self.labelLineHeight(on: canvas)).rounded(.down))
        return canvas.fittedLines(label, width: l.labelWidth - 10, maxLines: maxLines, size: FigureFont.label)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let l = layout()
        if let first = rows.first {
            for (c, s) in first.slices.enumerated() where c < l.columnX.count {
                let w = s.physicalWidth * l.scale
                canvas.text(s.label, at: Point(l.columnX[c] + w / 2, Self.top - 18), size: FigureFont.label, weight: .bold,
                            horizontal: .center, vertical: .bottom)
                canvas.text(s.orientation, at: Point(l.columnX[c] + w / 2, Self.top - 4), size: FigureFont.tick,
                            color: Color(hex: 0x555555), horizontal: .center, vertical: .bottom)
            }
        }
        for (r, row) in rows.enumerated() {
            let y = l.rowY[r]
            let lines = rowLabelLines(row.label, layout: l, on: canvas)
            let lineHeight = Self.labelLineHeight(on: canvas)
            let textTop = y + l.rowHeight / 2 - lineHeight * Double(lines.count) / 2
            for (i, line) in lines.enumerated() {
                canvas.text(line, at: Point(Self.margin, textTop + lineHeight * Double(i)), size: FigureFont.label, vertical: .top)
            }
            for (c, s) in row.slices.enumerated() where c < l.columnX.count {
                let rect = Rect(x: l.columnX[c], y: y, width: s.physicalWidth * l.scale, height: s.physicalHeight * l.scale)
                canvas.fill(rect, color: Color(hex: 0x808080))
                canvas.image(s.pixels(colorMap: .gray, lo: rowRanges[r][0], hi: rowRanges[r][1]), width: s.width, height: s.height, in: rect, smooth: false)
                drawOverlays(row, tile: c, slice: s, in: rect, on: canvas)
                if r > 0, let first = rows.first, c < first.slices.count, first.slices[c].label != s.label {
                    // Tiles cut elsewhere than the first row's (a mask's box, the most varied
                    // section) say where.
                    let box = canvas.textBox(s.label, at: Point(rect.minX + 2, rect.maxY - 2), size: FigureFont.tick - 1, vertical: .bottom)
                    canvas.fill(box.insetBy(-1), color: Color.white.withAlpha(0.8))
                    canvas.text(s.label, at: Point(rect.minX + 2, rect.maxY - 2), size: FigureFont.tick - 1, vertical: .bottom)
                }
                canvas.stroke(rect, color: Color(hex: 0x999999), width: 0.5)
            }
        }
        drawKey(layout: l, on: canvas)
    }

    /// The mask outline's colour.
    public static let outlineColor = OkabeIto.orange
    /// The colour of atoms near the slice plane.
    public static let atomColor = OkabeIto.skyBlue

    /// The mask outline and the atoms near the plane over tile `c` of `row`, drawn in `rect`.
    func drawOverlays(_ row: Row, tile c: Int, slice s: SliceImage, in rect: Rect, on canvas: Canvas) {
        let sx = rect.width / Double(max(1, s.width)), sy = rect.height / Double(max(1, s.height))
        canvas.withSavedState {
            canvas.clip(to: rect)
            // Crisp outlines and squares on whole pixels: over noise, smoothed ones made the
            // montage's PNG a fifth larger.
            cairo_set_antialias(canvas.context, CAIRO_ANTIALIAS_NONE)
            if let outline = row.outlines, c < outline.count, !outline[c].isEmpty {
                canvas.setColor(Self.outlineColor)
                canvas.setLine(width: 1.1)
                for line in SliceOutline.polylines(outline[c]) {
                    canvas.move(to: Point(rect.minX + line[0].x * sx, rect.minY + line[0].y * sy))
                    for p in line.dropFirst() { canvas.line(to: Point(rect.minX + p.x * sx, rect.minY + p.y * sy)) }
                }
                canvas.stroke()
            }
            if let atoms = row.atoms, c < atoms.count, !atoms[c].isEmpty {
                // Small squares in one path: a model has thousands of atoms near the planes,
                // and one path of squares keeps the SVG and PDF small.
                let side = max(1.6, min(3.6, 0.6 * min(sx, sy)))
                canvas.setColor(Self.atomColor)
                for a in atoms[c] {
                    cairo_rectangle(canvas.context, rect.minX + a.x * sx - side / 2, rect.minY + a.y * sy - side / 2, side, side)
                }
                canvas.fill()
            }
        }
    }

    /// The colour bar (shared contrast), or each row's range in words (contrast per row).
    func drawKey(layout l: Layout, on canvas: Canvas) {
        let unit = standardized ? "σ" : ""
        if contrast == .row {
            let ranges = rowRanges.map { "\(NiceTicks.format($0[0], decimals: 1))–\(NiceTicks.format($0[1], decimals: 1))\(unit)" }.joined(separator: ", ")
            let text = String(format: "grey range per row = %g–%g percentile of its slices: ", percentiles[0], percentiles[1]) + ranges
            for (i, line) in canvas.fittedLines(text, width: size.width - 2 * Self.margin, maxLines: 3, size: FigureFont.tick).enumerated() {
                canvas.text(line, at: Point(Self.margin, size.height - Self.bottomBand + 12 + Double(i) * 12), size: FigureFont.tick, vertical: .top)
            }
            return
        }
        let barWidth = min(260, size.width - 2 * Self.margin - l.labelWidth)
        let bar = Rect(x: Self.margin + l.labelWidth, y: size.height - Self.bottomBand + 12, width: barWidth, height: 9)
        let ticks = [Tick(lower, NiceTicks.format(lower, decimals: 1) + unit), Tick(upper, NiceTicks.format(upper, decimals: 1) + unit)]
            + NiceTicks.values(from: lower, to: upper, target: 4).filter { abs($0 - lower) > (upper - lower) * 0.12 && abs($0 - upper) > (upper - lower) * 0.12 }
            .map { Tick($0, NiceTicks.format($0, decimals: NiceTicks.decimals(forStep: NiceTicks.step(span: upper - lower, target: 4))) + unit) }
        let what = standardized ? "density in standard deviations of each map" : "density"
        ColorBar.horizontal(.gray, lo: lower, hi: upper, in: bar,
                            title: String(format: "%@; grey range = %g–%g percentile of the slices shown", what, percentiles[0], percentiles[1]),
                            on: canvas, ticks: ticks)
    }
}

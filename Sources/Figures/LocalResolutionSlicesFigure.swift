import Foundation
import MapModel

/// Local resolution on the central X, Y and Z slices: colour where the local resolution is
/// defined (inside the mask), the density in grey underneath, and a colour bar in Å.
///
/// Better resolution (smaller Å) is always the low end of the colour map — dark purple in
/// viridis, dark blue in cividis and turbo — and the bottom of the bar. The range is fixed
/// by the caller (for example global − 0.5 Å to global + 3 Å) so that datasets compare.
public struct LocalResolutionSlicesFigure: RasterFigure, Codable, Sendable {
    /// Title above the figure.
    public var title: String
    /// Local resolution per slice (Å; NaN outside the mask).
    public var slices: [SliceImage]
    /// Density per slice, drawn in grey under the colour (same sizes as `slices`), or empty.
    public var underlays: [SliceImage]
    /// The colour map.
    public var colorMap: ColorMap
    /// Resolution at the low (best) end of the colour bar, Å.
    public var lower: Double
    /// Resolution at the high (worst) end, Å.
    public var upper: Double
    /// Size in points.
    public var size: FigureSize

    /// The central slices of `localResolution` (Å; voxels outside the mask should be NaN) over
    /// those of `density`, coloured with `colorMap` over `range` (default: 2nd–98th percentile
    /// of the values shown).
    public init(title: String, localResolution: Volume, density: Volume?, colorMap: ColorMap = .viridis,
                range: ClosedRange<Double>? = nil, width: Double = 600) {
        let (slices, underlays) = Self.slices(localResolution: localResolution, density: density)
        self.init(title: title, slices: slices, underlays: underlays, colorMap: colorMap, range: range, width: width)
    }

    /// The central slices of `localResolution` and, under them, those of `density` in its own
    /// standard deviations (none without a density).
    public static func slices(localResolution: Volume, density: Volume?) -> (slices: [SliceImage], underlays: [SliceImage]) {
        var underlays: [SliceImage] = []
        if let density {
            let s = density.statistics
            let mean = Float(s.mean), sd = Float(s.rms > 0 ? s.rms : 1)
            underlays = CentralSlices.of(density).map { $0.mapped { ($0 - mean) / sd } }
        }
        return (CentralSlices.of(localResolution), underlays)
    }

    /// A figure from prepared slices.
    public init(title: String, slices: [SliceImage], underlays: [SliceImage], colorMap: ColorMap = .viridis,
                range: ClosedRange<Double>? = nil, width: Double = 600) {
        self.title = title
        self.slices = slices
        self.underlays = underlays
        self.colorMap = colorMap
        if let range {
            lower = range.lowerBound; upper = range.upperBound
        } else {
            let all = slices.flatMap(\.values).filter(\.isFinite).sorted()
            lower = Percentiles.of(sorted: all, 2); upper = Percentiles.of(sorted: all, 98)
            if !(upper > lower) { lower = Double(all.first ?? 0); upper = lower + 1 }
        }
        let tile = (width - 2 * 12 - 2 * 8 - 90) / 3
        let aspect = slices.map { $0.physicalHeight / max($0.physicalWidth, 1e-9) }.max() ?? 1
        size = FigureSize(width, 40 + 34 + tile * min(aspect, 1.6) + 20)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let left = 12.0, gap = 8.0, top = 74.0
        let tileWidth = (size.width - 2 * left - 2 * gap - 90) / 3
        var x = left
        var tallest = 0.0
        for (i, s) in slices.prefix(3).enumerated() {
            let scale = tileWidth / max(s.physicalWidth, 1e-9)
            let rect = Rect(x: x, y: top, width: tileWidth, height: min(s.physicalHeight * scale, size.height - top - 20))
            tallest = max(tallest, rect.height)
            canvas.text(s.label, at: Point(rect.minX + rect.width / 2, top - 18), size: FigureFont.label, weight: .bold, horizontal: .center, vertical: .bottom)
            canvas.text(s.orientation, at: Point(rect.minX + rect.width / 2, top - 4), size: FigureFont.tick, color: Color(hex: 0x555555), horizontal: .center, vertical: .bottom)
            canvas.fill(rect, color: Color(hex: 0x808080))
            if i < underlays.count {
                let u = underlays[i]
                let vals = u.values.filter(\.isFinite).sorted()
                canvas.image(u.pixels(colorMap: .gray, lo: Percentiles.of(sorted: vals, 1), hi: Percentiles.of(sorted: vals, 99)),
                             width: u.width, height: u.height, in: rect, smooth: true)
            }
            canvas.image(s.pixels(colorMap: colorMap, lo: lower, hi: upper), width: s.width, height: s.height, in: rect, smooth: false)
            canvas.stroke(rect, color: Color(hex: 0x999999), width: 0.5)
            x += tileWidth + gap
        }
        let bar = Rect(x: x + 4, y: top, width: 12, height: max(60, tallest))
        ColorBar.vertical(colorMap, lo: lower, hi: upper, in: bar, title: "Local resolution (Å)", on: canvas)
    }
}

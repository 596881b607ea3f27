import Foundation

/// The distribution of local resolution inside the mask: bars in fixed-width bins, with the
/// median, the 5th and 95th percentiles and the global FSC resolution(s) as vertical lines.
public struct LocalResolutionHistogramFigure: Figure, Codable, Sendable {
    /// A labelled reference resolution (a global FSC value).
    public struct Marker: Codable, Sendable {
        /// Legend text ("FSC 0.143").
        public var label: String
        /// Resolution (Å).
        public var resolution: Double

        /// A marker.
        public init(label: String, resolution: Double) { self.label = label; self.resolution = resolution }
    }

    /// Title above the plot.
    public var title: String
    /// The binned local resolutions (Å).
    public var histogram: Histogram
    /// Median local resolution (Å).
    public var median: Double
    /// 5th percentile (Å).
    public var percentile5: Double
    /// 95th percentile (Å).
    public var percentile95: Double
    /// Global resolutions to compare with.
    public var markers: [Marker]
    /// Size in points.
    public var size: FigureSize

    /// The histogram of `values` (local resolutions in Å of the voxels inside the mask) in bins
    /// of `binWidth` Å. Use the same width across datasets so their histograms compare.
    public init(title: String, values: [Float], binWidth: Double = 0.2, markers: [Marker] = [], size: FigureSize = .plot) {
        self.init(title: title, distribution: Distribution(values: values, binWidth: binWidth), markers: markers, size: size)
    }

    /// What the histogram shows of a set of local resolutions: the counts and the median and
    /// 5th and 95th percentiles (kept in place of the values, which are one per voxel).
    public struct Distribution: Codable, Sendable {
        /// The counts.
        public var histogram: Histogram
        /// Median, Å.
        public var median: Double
        /// 5th percentile, Å.
        public var percentile5: Double
        /// 95th percentile, Å.
        public var percentile95: Double
        /// 2nd percentile, Å (the best end of a colour range that a few voxels do not stretch).
        public var percentile2: Double
        /// 98th percentile, Å.
        public var percentile98: Double

        /// The distribution of `values` (Å) in bins of `binWidth` Å.
        public init(values: [Float], binWidth: Double = 0.2) {
            let sorted = values.filter(\.isFinite).sorted()
            histogram = Histogram(sorted, binWidth: binWidth)
            median = Percentiles.of(sorted: sorted, 50)
            percentile5 = Percentiles.of(sorted: sorted, 5)
            percentile95 = Percentiles.of(sorted: sorted, 95)
            percentile2 = Percentiles.of(sorted: sorted, 2)
            percentile98 = Percentiles.of(sorted: sorted, 98)
        }
    }

    /// The histogram of a prepared distribution.
    public init(title: String, distribution d: Distribution, markers: [Marker] = [], size: FigureSize = .plot) {
        self.title = title
        histogram = d.histogram
        median = d.median
        percentile5 = d.percentile5
        percentile95 = d.percentile95
        self.markers = markers
        self.size = size
    }

    /// The median's line.
    public static let medianStyle = LineStyle(color: OkabeIto.vermillion, width: 1.8)
    /// The 5th and 95th percentiles' lines.
    public static let percentileStyle = LineStyle(color: OkabeIto.vermillion, width: 1.1, dash: LineStyle.dashed)
    /// The line of the `index`-th marker (global resolutions).
    public static func markerStyle(index: Int) -> LineStyle {
        LineStyle(color: index == 0 ? OkabeIto.black : OkabeIto.bluishGreen, width: 1.4, dash: LineStyle.dashDot)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let frame = PlotLayout.frame(in: size, topAxis: false)
        let t = Double(max(1, histogram.total))
        let peak = 100 * Double(histogram.counts.max() ?? 1) / t
        let xs = [histogram.start, histogram.end] + markers.map(\.resolution).filter(\.isFinite)
        let (xLo, xHi) = NiceTicks.niceRange(xs.min() ?? 0, xs.max() ?? 1, target: 8)
        let (_, yHi) = NiceTicks.niceRange(0, peak * 1.08, target: 5)
        let area = PlotArea(canvas: canvas, frame: frame, x: xLo...xHi, y: 0...yHi)
        let xTicks = NiceTicks.ticks(from: xLo, to: xHi, target: 8)
        let yTicks = NiceTicks.ticks(from: 0, to: yHi, target: 5)
        area.drawGrid(x: [], y: yTicks.map(\.value))
        histogram.drawBars(on: area, fill: OkabeIto.skyBlue.withAlpha(0.75), edge: OkabeIto.blue.withAlpha(0.6))
        var entries = [LegendEntry("voxels in mask (\(histogram.total))", style: LineStyle(color: OkabeIto.skyBlue), filled: true)]
        area.verticalLine(at: median, style: Self.medianStyle)
        entries.append(LegendEntry(String(format: "median %.2f Å", median), style: Self.medianStyle))
        area.verticalLine(at: percentile5, style: Self.percentileStyle)
        area.verticalLine(at: percentile95, style: Self.percentileStyle)
        entries.append(LegendEntry(String(format: "5th–95th percentile %.2f–%.2f Å", percentile5, percentile95), style: Self.percentileStyle))
        for (i, m) in markers.enumerated() {
            let style = Self.markerStyle(index: i)
            area.verticalLine(at: m.resolution, style: style)
            entries.append(LegendEntry(String(format: "%@ %.2f Å", m.label, m.resolution), style: style))
        }
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Local resolution (Å)")
        area.drawLeftAxis(yTicks, title: "Voxels (% of masked)")
        // Bars are obstacles over their whole height.
        var bars: [Point] = []
        for (i, c) in histogram.counts.enumerated() where c > 0 {
            let x = histogram.start + histogram.width * (Double(i) + 0.5)
            let top = 100 * Double(c) / t
            for k in 0...8 { bars.append(area.point(x, top * Double(k) / 8)) }
        }
        for x in [median, percentile5, percentile95] + markers.map(\.resolution) where x.isFinite {
            for k in 0...12 { bars.append(area.point(x, yHi * Double(k) / 12)) }
        }
        Legend.draw(entries, on: canvas, in: frame, avoiding: bars)
    }
}

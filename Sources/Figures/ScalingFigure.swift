import Foundation

/// Wall time against box edge N on log–log axes, one colour per work: mapbook's times solid
/// with filled dots, a peer program's dashed with open dots, and each run's FFT floor dotted
/// and thin. On log–log axes time ∝ N^k is a straight line of slope k; each series' fitted k
/// is in the legend, which sits right of the plot (seven works' lines fill every corner).
public struct ScalingFigure: Figure, Codable, Sendable {
    /// Which program a series times, which fixes its line pattern.
    public enum Role: String, Codable, Sendable {
        /// mapbook's wall time (solid, filled dots).
        case mapbook
        /// The peer program's wall time (dashed, open dots).
        case peer
        /// The FFT floor of mapbook's run: its transforms at their measured times (dotted, thin).
        case floor
    }

    /// One plotted line: a work's times by one program.
    public struct Series: Codable, Sendable {
        /// The work ("postprocess"); series of one work share a colour.
        public var work: String
        /// Which program.
        public var role: Role
        /// The program's name ("mapbook", "relion_postprocess --locres").
        public var program: String
        /// Box edges N (voxels), ascending.
        public var sizes: [Double]
        /// Wall seconds at each N (positive: plotted on a log axis).
        public var seconds: [Double]
        /// The fitted growth exponent k of time ∝ N^k, when there are two sizes or more.
        public var exponent: Double?

        /// A series.
        public init(work: String, role: Role, program: String, sizes: [Double], seconds: [Double], exponent: Double?) {
            precondition(sizes.count == seconds.count, "one time per size")
            self.work = work; self.role = role; self.program = program; self.sizes = sizes; self.seconds = seconds; self.exponent = exponent
        }
    }

    /// Title above the plot.
    public var title: String
    /// The works, in the order their colours are given.
    public var works: [String]
    /// Every plotted series.
    public var series: [Series]
    /// Size in points.
    public var size: FigureSize

    /// A scaling plot of `series`, coloured by their order in `works`.
    public init(title: String, works: [String], series: [Series], size: FigureSize = FigureSize(600, 400)) {
        self.title = title; self.works = works; self.series = series; self.size = size
    }

    /// The line of a series of role `role` for the `index`-th work: the Okabe–Ito colours in
    /// their order (black first), the pattern and weight from the role.
    public static func style(_ role: Role, workIndex index: Int) -> LineStyle {
        let color = OkabeIto.cycle[index % OkabeIto.cycle.count]
        switch role {
        case .mapbook: return LineStyle(color: color, width: 1.8)
        case .peer: return LineStyle(color: color, width: 1.5, dash: LineStyle.dashed)
        case .floor: return LineStyle(color: color, width: 0.9, dash: LineStyle.dotted)
        }
    }

    /// The legend's key to the floor lines, which take their work's colour.
    static let floorKey = LineStyle(color: Color(hex: 0x777777), width: 0.9, dash: LineStyle.dotted)

    /// The legend: each work's mapbook line with k, its peer's under it, then one key to the
    /// floor lines (one per work would double the legend for lines read only against their own).
    func legendEntries() -> [LegendEntry] {
        var out: [LegendEntry] = []
        for (i, work) in works.enumerated() {
            for role in [Role.mapbook, .peer] {
                guard let s = series.first(where: { $0.work == work && $0.role == role }) else { continue }
                let k = s.exponent.map { String(format: ", k = %.2f", $0) } ?? ""
                out.append(LegendEntry(role == .mapbook ? work + k : "   peer" + k, style: Self.style(role, workIndex: i)))
            }
        }
        if series.contains(where: { $0.role == .floor }) { out.append(LegendEntry("FFT floor (work's colour)", style: Self.floorKey)) }
        return out
    }

    /// log₁₀ of the finite positive values.
    static func logs(_ values: [Double]) -> [Double] { values.filter { $0 > 0 && $0.isFinite }.map(log10) }

    /// `lo ... hi` widened by `pad` at both ends (by half a decade when it is a single value).
    static func padded(_ values: [Double], _ pad: Double) -> ClosedRange<Double> {
        guard let lo = values.min(), let hi = values.max() else { return 0...1 }
        return hi > lo ? (lo - pad)...(hi + pad) : (lo - 0.5)...(hi + 0.5)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let entries = legendEntries()
        let (frame, legend) = layout(entries, on: canvas)
        let x = Self.padded(Self.logs(series.flatMap(\.sizes)), 0.06)
        let y = Self.padded(Self.logs(series.flatMap(\.seconds)), 0.15)
        let area = PlotArea(canvas: canvas, frame: frame, x: x, y: y)

        for v in LogTicks.minorPositions(lo: y.lowerBound, hi: y.upperBound) {
            canvas.strokeLine(from: Point(frame.minX, area.py(v)), to: Point(frame.maxX, area.py(v)), color: Color(hex: 0xf2f2f2), width: 0.5)
        }
        let yTicks = LogTicks.decadeTicks(lo: y.lowerBound, hi: y.upperBound)
        let xTicks = sizeTicks(area)
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))

        // Floors under peers under mapbook: the measured lines stay on top.
        for role in [Role.floor, .peer, .mapbook] {
            for s in series where s.role == role {
                let style = Self.style(role, workIndex: works.firstIndex(of: s.work) ?? 0)
                let points = zip(s.sizes, s.seconds).filter { $0.0 > 0 && $0.1 > 0 }.map { (log10($0.0), log10($0.1)) }
                area.curve(x: points.map(\.0), y: points.map(\.1), style: style)
                guard role != .floor else { continue }
                for p in points {
                    let c = area.point(p.0, p.1)
                    canvas.fillCircle(center: c, radius: 2.8, color: style.color)
                    if role == .peer { canvas.fillCircle(center: c, radius: 1.5, color: .white) }
                }
            }
        }
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Box edge N (voxels; the box is N³), log scale")
        area.drawLeftAxis(yTicks, title: "Wall time (s), log scale")
        Legend.draw(entries, on: canvas, in: legend, corner: .topLeft)
    }

    /// The plotting frame, and the column right of it that the legend is drawn in (at its top
    /// left): the frame gives up the legend's width.
    func layout(_ entries: [LegendEntry], on canvas: Canvas) -> (frame: Rect, legend: Rect) {
        let probe = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let legendWidth = Legend.box(entries, on: canvas, in: probe, corner: .topLeft).width
        let frame = PlotLayout.frame(in: size, topAxis: false, rightMargin: legendWidth + 20)
        return (frame, Rect(x: frame.maxX + 8, y: frame.minY - 6, width: legendWidth + 12, height: frame.height))
    }

    /// Ticks at the sizes measured (the numbers a reader looks up), dropping any whose label
    /// would touch the one before it.
    func sizeTicks(_ area: PlotArea) -> [Tick] {
        var out: [Tick] = []
        var lastRight = -Double.infinity
        for n in Set(series.flatMap(\.sizes)).filter({ $0 > 0 }).sorted() {
            let label = String(format: "%.0f", n)
            let half = area.canvas.textWidth(label, size: FigureFont.tick) / 2
            let centre = area.px(log10(n))
            guard centre - half >= lastRight + 6 else { continue }
            out.append(Tick(log10(n), label))
            lastRight = centre + half
        }
        return out
    }
}

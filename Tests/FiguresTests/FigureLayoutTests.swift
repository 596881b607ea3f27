import Foundation
import MapModel
import Testing
@testable import Figures

/// Geometry of what the figures draw: label boxes against the lines drawn and each other, the
/// masked FSC curve against the corrected one, montage row labels against their column, and
/// the words captions take from line styles.
@Suite("Figure layout")
struct FigureLayoutTests {
    /// Four crossings within 0.02 Å⁻¹ of each other at two thresholds: the labels must crowd.
    static func crowdedFSC() -> FSCFigure {
        let f = FigureFixtures.frequencies
        func logistic(_ d0: Double, _ k: Double) -> [Double] { f.map { 1 / (1 + exp(($0 - 1 / d0) * k)) } }
        let corrected = logistic(4.3, 42), unmasked = logistic(4.45, 38)
        return FSCFigure(title: "crowded", curves: [.init(name: "unmasked", role: .unmasked, frequency: f, fsc: unmasked),
                                                    .init(name: "masked", role: .masked, frequency: f, fsc: logistic(4.35, 44)),
                                                    .init(name: "corrected", role: .corrected, frequency: f, fsc: corrected)],
                         thresholds: [.init(constant: 0.143, name: "0.143"), .init(constant: 0.5, name: "0.5")],
                         crossings: [.init(frequency: 1 / 3.95, value: 0.143, label: "3.95 Å (0.143, corrected)", role: .corrected),
                                     .init(frequency: 1 / 4.08, value: 0.143, label: "4.08 Å (0.143, unmasked)", role: .unmasked),
                                     .init(frequency: 1 / 4.3, value: 0.5, label: "4.30 Å (0.5)", role: .corrected),
                                     .init(frequency: 1 / 4.45, value: 0.5, label: "4.45 Å (0.5, unmasked)", role: .unmasked)],
                         maxFrequency: 0.5, size: FigureFixtures.size)
    }

    /// Every line the FSC figure draws, rebuilt here from the figure's data (not from its layout).
    static func drawnLines(_ fig: FSCFigure, _ area: PlotArea) -> [Segment] {
        var lines = fig.curves.flatMap { area.segments(x: $0.frequency, y: $0.fsc.map { Optional($0) }) }
        for t in fig.thresholds { lines.append(Segment(Point(area.frame.minX, area.py(t.values[0])), Point(area.frame.maxX, area.py(t.values[0])))) }
        for c in fig.crossings { lines.append(Segment(Point(area.px(c.frequency), area.frame.maxY), area.point(c.frequency, c.value))) }
        return lines
    }

    @Test("FSC labels cross no drawn line (curves, thresholds, drop lines) and overlap neither each other nor the legend",
          arguments: ["crowded", "fixture"])
    func fscLabels(_ name: String) {
        let fig = name == "crowded" ? Self.crowdedFSC() : FigureFixtures.fscFigure()
        FigureRenderer.measuring(fig.size) { canvas in
            let l = fig.layout(on: canvas)
            #expect(l.labels.count == fig.crossings.count + fig.thresholds.filter(\.frequency.isEmpty).count)
            let lines = Self.drawnLines(fig, l.area)
            let legend = Legend.box(l.entries, on: canvas, in: l.area.frame, corner: l.corner)
            for (i, a) in l.labels.enumerated() {
                // The text itself (without the clearance) against every line.
                let text = a.placement.box.insetBy(LabelPlacer.clearance)
                let crossed = lines.filter { text.intersects($0) }
                #expect(crossed.isEmpty, "\(a.text) at \(text) crosses \(crossed.count) line(s)")
                #expect(!text.intersects(legend), "\(a.text) overlaps the legend")
                #expect(text.minX >= l.area.frame.minX && text.maxX <= l.area.frame.maxX && text.minY >= l.area.frame.minY && text.maxY <= l.area.frame.maxY)
                for b in l.labels[(i + 1)...] {
                    #expect(!text.intersects(b.placement.box.insetBy(LabelPlacer.clearance)), "\(a.text) overlaps \(b.text)")
                }
            }
            // Crossing labels sit by their crossing (within 40 points) unless a leader line is drawn.
            for a in l.labels {
                guard let t = a.target, !a.placement.displaced else { continue }
                let b = a.placement.box
                let dx = max(b.minX - t.x, 0, t.x - b.maxX), dy = max(b.minY - t.y, 0, t.y - b.maxY)
                #expect(hypot(dx, dy) < 40, "\(a.text) is \(hypot(dx, dy)) points from its crossing")
            }
        }
    }

    @Test("segments and boxes: crossing, touching, missing, inside, vertical and horizontal")
    func segmentIntersection() {
        let r = Rect(x: 10, y: 10, width: 20, height: 10)
        #expect(r.intersects(Segment(Point(0, 15), Point(40, 15))))
        #expect(r.intersects(Segment(Point(12, 12), Point(14, 14))))
        #expect(r.intersects(Segment(Point(20, 0), Point(20, 40))))
        #expect(!r.intersects(Segment(Point(0, 0), Point(40, 5))))
        #expect(!r.intersects(Segment(Point(0, 0), Point(9, 30))))
        #expect(!r.intersects(Segment(Point(31, 0), Point(31, 30))))
        // The diagonal passes the corner (30, 10) on the outside.
        #expect(!r.intersects(Segment(Point(25, 0), Point(40, 12))))
    }

    /// Pixels within 40 per channel of Okabe–Ito blue.
    static func bluePixels(_ png: Data) throws -> Int {
        let image = try RasterImage(png: png)
        return image.pixels.filter { p in
            let r = Int((p >> 16) & 0xff), g = Int((p >> 8) & 0xff), b = Int(p & 0xff)
            return abs(r - 0x00) < 40 && abs(g - 0x72) < 40 && abs(b - 0xB2) < 40
        }.count
    }

    @Test("the masked curve stays visible where the corrected curve lies on it")
    func maskedVisible() throws {
        let f = FigureFixtures.frequencies
        let curve = f.map { 1 / (1 + exp(($0 - 0.22) * 40)) }
        func figure(maskedData: Bool) -> FSCFigure {
            FSCFigure(title: "identical", curves: [.init(name: "masked", role: .masked, frequency: maskedData ? f : [], fsc: maskedData ? curve : []),
                                                   .init(name: "corrected", role: .corrected, frequency: f, fsc: curve)],
                      thresholds: [], crossings: [], maxFrequency: 0.5, size: FigureFixtures.size)
        }
        // The legend's blue sample is in both; the difference is the masked line itself.
        let shown = try Self.bluePixels(FigureRenderer.png(figure(maskedData: true), scale: 2))
        let legendOnly = try Self.bluePixels(FigureRenderer.png(figure(maskedData: false), scale: 2))
        // The curve runs about 420 points across the frame; at 2 px per point a visible 1-point
        // core is well over 500 blue pixels.
        #expect(shown - legendOnly > 500, "masked line pixels: \(shown - legendOnly)")
        let masked = FSCFigure.style(for: .masked), corrected = FSCFigure.style(for: .corrected)
        #expect(masked.width < corrected.width)
        let order = figure(maskedData: true).drawOrder
        #expect(order == [1, 0], "the corrected curve first, the masked curve over it")
    }

    @Test("montage row labels fit their column and row; a long file name is shortened in the middle, keeping its end")
    func montageLabels() {
        let v = FigureFixtures.localResolutionVolume().density
        let long = "half map 1 (emd_12345_additional_map_unfiltered_half_map_1_from_relion_refine.mrc)"
        let fig = SliceMontageFigure(title: "Central slices", maps: [(long, v), ("sharpened (postprocess)", v), (String(repeating: "word ", count: 40), v)], width: 480)
        FigureRenderer.measuring(fig.size) { canvas in
            let l = fig.layout()
            let lineHeight = SliceMontageFigure.labelLineHeight(on: canvas)
            for row in fig.rows {
                let lines = fig.rowLabelLines(row.label, layout: l, on: canvas)
                for line in lines { #expect(canvas.textWidth(line, size: FigureFont.label) <= l.labelWidth - 10, "\(line)") }
                #expect(Double(lines.count) * lineHeight <= l.rowHeight + 0.01, "\(lines.count) lines in a \(l.rowHeight)-point row")
            }
            let first = fig.rowLabelLines(long, layout: l, on: canvas)
            #expect(first.first == "half map 1")
            #expect(first.last?.contains("…") == true && first.last?.hasSuffix(".mrc)") == true, "\(first)")
            #expect(fig.rowLabelLines("sharpened (postprocess)", layout: l, on: canvas).joined(separator: " ") == "sharpened (postprocess)")
        }
    }

    @Test("middle truncation: fits the width, keeps both ends, leaves short text alone")
    func middleTruncation() {
        FigureRenderer.measuring(FigureFixtures.size) { canvas in
            let name = "emd_12345_additional_map_unfiltered_half_map_1.mrc"
            let short = canvas.middleTruncated(name, width: 100, size: 10)
            #expect(canvas.textWidth(short, size: 10) <= 100)
            #expect(short.hasPrefix("emd_") && short.hasSuffix(".mrc") && short.contains("…"), "\(short)")
            #expect(canvas.middleTruncated("map.mrc", width: 100, size: 10) == "map.mrc")
        }
    }

    @Test("line styles name their pattern and colour as captions say them")
    func patternNames() {
        #expect(LineStyle(color: .ink).patternName == "solid")
        #expect(LineStyle(color: .ink, dash: LineStyle.dashed).patternName == "dashed")
        #expect(LineStyle(color: .ink, dash: LineStyle.dotted).patternName == "dotted")
        #expect(LineStyle(color: .ink, dash: LineStyle.dashDot).patternName == "dash-dotted")
        #expect(GuinierFigure.fitStyle.patternName == "dashed")
        #expect(LocalResolutionHistogramFigure.markerStyle(index: 0).patternName == "dash-dotted")
        #expect(OkabeIto.describe(FSCFigure.style(for: .unmasked)) == "solid orange")
        #expect(OkabeIto.describe(FSCFigure.style(for: .context)) == "dotted grey")
    }
}

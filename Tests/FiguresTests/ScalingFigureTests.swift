import Foundation
import Testing
@testable import Figures

@Suite("Scaling figure and plain log ticks")
struct ScalingFigureTests {
    @Test("decade ticks sit at log10 of plain-number labels; a short axis gets its 2 and 5 multiples labelled")
    func decadeTicks() {
        let wide = LogTicks.decadeTicks(lo: log10(0.003), hi: log10(75))
        #expect(wide.map(\.label) == ["0.01", "0.1", "1", "10"])
        for t in wide { #expect(abs(t.value - log10(Double(t.label)!)) < 1e-12) }
        let short = LogTicks.decadeTicks(lo: log10(0.15), hi: log10(3))
        #expect(short.map(\.label) == ["0.2", "0.5", "1", "2"])
        #expect(LogTicks.plainLabel(0.005) == "0.005" && LogTicks.plainLabel(1000) == "1000" && LogTicks.plainLabel(0.1) == "0.1")
        let minor = LogTicks.minorPositions(lo: 0, hi: 1)
        #expect(minor.count == 8 && abs(minor[0] - log10(2)) < 1e-12)
    }

    @Test("the legend gives each work's k, its peer's under it, and one key to the floors")
    func legend() {
        let labels = FigureFixtures.scalingFigure().legendEntries().map(\.label)
        #expect(labels == ["postprocess, k = 2.00", "   peer, k = 3.00", "local resolution, k = 3.00", "FFT floor (work's colour)"])
        #expect(ScalingFigure.style(.peer, workIndex: 1).patternName == "dashed")
        #expect(ScalingFigure.style(.floor, workIndex: 1).patternName == "dotted")
        #expect(ScalingFigure.style(.mapbook, workIndex: 1).color == ScalingFigure.style(.floor, workIndex: 1).color)
    }

    @Test("renders to PNG and PDF; its data JSON holds every series with its sizes and times")
    func renderAndData() throws {
        let figure = FigureFixtures.scalingFigure()
        let png = try RasterImage(png: FigureRenderer.png(figure))
        #expect(png.nonBackgroundFraction > 0.02)
        #expect(try FigureRenderer.pdf(figure, title: "scaling").starts(with: Data("%PDF-".utf8)))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(figure)) as! [String: Any]
        let series = json["series"] as! [[String: Any]]
        #expect(series.count == 4)
        #expect(series.map { $0["role"] as! String } == ["mapbook", "peer", "floor", "mapbook"])
        #expect(series.allSatisfy { ($0["sizes"] as! [Double]) == [64, 128, 256, 384] && ($0["seconds"] as! [Double]).count == 4 })
    }

    @Test("the legend sits right of the plot, clear of the frame and inside the figure")
    func legendBesideFrame() {
        let figure = FigureFixtures.scalingFigure()
        FigureRenderer.measuring(figure.size) { canvas in
            let entries = figure.legendEntries()
            let (frame, column) = figure.layout(entries, on: canvas)
            let box = Legend.box(entries, on: canvas, in: column, corner: .topLeft)
            #expect(box.minX > frame.maxX && box.maxX <= figure.size.width && box.maxY <= figure.size.height, "\(box) against \(frame)")
            #expect(frame.width > 300, "the plot keeps most of the width")
        }
    }
}

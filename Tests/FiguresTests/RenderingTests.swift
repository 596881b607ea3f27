import Foundation
import Testing
import MapModel
@testable import Figures

@Suite("Figure rendering")
struct RenderingTests {
    @Test("PNG at the default pixels per point, SVG and PDF are produced; figures are not blank")
    func formats() throws {
        for (name, figure) in FigureFixtures.all() {
            let png = try RasterImage(png: FigureRenderer.png(figure))
            let s = FigureRenderer.defaultScale
            #expect(png.width == Int((figure.size.width * s).rounded()) && png.height == Int((figure.size.height * s).rounded()), "\(name)")
            #expect(png.nonBackgroundFraction > 0.02, "\(name) looks blank")
            let svg = String(decoding: try FigureRenderer.svg(figure), as: UTF8.self)
            #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(name)")
            let pdf = try FigureRenderer.pdf(figure, title: name)
            #expect(pdf.starts(with: Data("%PDF-".utf8)), "\(name)")
        }
    }

    @Test("PDF bytes are reproducible (fixed dates) and carry the title")
    func reproducible() throws {
        let f = FigureFixtures.fscFigure()
        let a = try FigureRenderer.pdf(f, title: "FSC", date: Date(timeIntervalSince1970: 1_700_000_000))
        let b = try FigureRenderer.pdf(f, title: "FSC", date: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(a == b)
        #expect(a.range(of: Data("/CreationDate (20231114".utf8)) != nil)
    }

    @Test("nice ticks: round steps, shared decimals, true minus signs")
    func niceTicks() {
        #expect(NiceTicks.step(span: 0.5, target: 5) == 0.1)
        #expect(NiceTicks.step(span: 1.1, target: 5) == 0.2)
        #expect(NiceTicks.step(span: 12, target: 5) == 2.5)
        #expect(NiceTicks.step(span: 350, target: 6) == 50)
        #expect(NiceTicks.ticks(from: 0, to: 0.5, target: 5).map(\.label) == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"])
        #expect(NiceTicks.ticks(from: -0.05, to: 1, target: 5).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(NiceTicks.ticks(from: -10, to: 2.5, target: 5).map(\.label) == ["−10.0", "−7.5", "−5.0", "−2.5", "0.0", "2.5"])
        #expect(NiceTicks.format(-0.0001, decimals: 2) == "0.00")
        #expect(NiceTicks.niceRange(0.13, 0.87, target: 5) == (0.1, 0.9))
    }

    @Test("resolution ticks sit at 1/d, prefer round values and never overlap")
    func resolutionTicks() {
        let ticks = ResolutionTicks.ticks(lo: 0, hi: 1.0 / 3, position: { 1 / $0 }, pointsPerUnit: 500 * 3) { Double($0.count) * 6 }
        #expect(ticks.contains { $0.label == "10" } && ticks.contains { $0.label == "4" } && ticks.contains { $0.label == "3" })
        for t in ticks { #expect(abs(t.value - 1 / Double(t.label)!) < 1e-12) }
        let positions = ticks.map { $0.value * 1500 }
        for (a, b) in zip(positions, positions.dropFirst()) { #expect(b - a >= 10 + 6) }
        #expect(!ticks.contains { Double($0.label)! < 3 }, "ticks beyond the axis end")
    }

    @Test("colour maps: published end points, monotonic lightness for viridis")
    func colorMaps() {
        #expect(ColorMap.viridis.color(at: 0).hexString == "#440154")
        #expect(ColorMap.viridis.color(at: 1).hexString == "#fde725")
        #expect(ColorMap.viridis.color(at: 0.5).hexString == "#21918c")
        #expect(ColorMap.cividis.color(at: 0).hexString == "#00224e")
        #expect(ColorMap.turbo.color(at: 1).hexString == "#7a0403")
        #expect(ColorMap.gray.color(at: 0.5).hexString == "#808080")
        func luma(_ c: Color) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
        let l = (0...20).map { luma(ColorMap.viridis.color(at: Double($0) / 20)) }
        #expect(zip(l, l.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("percentiles and fixed-width histogram bins")
    func statistics() {
        let v: [Float] = [1, 2, 3, 4, 5]
        #expect(Percentiles.of(v, 50) == 3)
        #expect(Percentiles.of(v, 25) == 2)
        #expect(Percentiles.of([Float.nan, 1, 3], 50) == 2)
        let h = Histogram([3.01, 3.05, 3.19, 3.21, 3.9, .nan], binWidth: 0.2)
        #expect(abs(h.start - 3.0) < 1e-9)
        #expect(h.counts == [3, 1, 0, 0, 1])
        #expect(h.total == 5)
    }

    @Test("central slices: fixed orientation (second axis up), physical extents kept")
    func slices() {
        let grid = VoxelGrid(size: SIMD3(4, 6, 8), voxelSize: SIMD3(1, 1, 2))
        // One bright voxel at high x, y and z, inside every central plane's neighbourhood.
        var v = Volume(grid: grid)
        v[3, 3, 7] = 1   // on the Y plane (y = 3): x right → last column; z up → top row
        v[2, 5, 4] = 2   // on the X plane (x = 2) and Z plane (z = 4): y right/up
        let s = CentralSlices.of(v)
        #expect(s.map(\.label) == ["X = 2", "Y = 3", "Z = 4"])
        let y = s[1]
        #expect(y.width == 4 && y.height == 8 && y.values[0 * 4 + 3] == 1)
        let x = s[0]
        #expect(x.width == 6 && x.height == 8 && x.values[(7 - 4) * 6 + 5] == 2)
        let z = s[2]
        #expect(z.values[(5 - 5) * 4 + 2] == 2)
        #expect(x.physicalHeight == 16 && x.physicalWidth == 6)
    }
}

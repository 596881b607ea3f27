import Foundation
import Testing
import Figures
import FourierEngine
import MapbookCore
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

/// Words and ranges the cells' presentations derive from their numbers: "sharpened" or
/// "blurred" by the sign of B, the local-resolution colour range and Nyquist marker, and the
/// density-modification FSC figure on one footing with FSC_ref.
@Suite("Presentation wording")
struct PresentationWordingTests {
    @Test("sharpened, blurred or unsharpened by the sign of B (exp(−B s²/4): negative sharpens)")
    func bWords() {
        #expect(BFactorWording.participle(-80) == "sharpened")
        #expect(BFactorWording.participle(37.9) == "blurred")
        #expect(BFactorWording.participle(0) == "unsharpened")
        #expect(BFactorWording.gerund(37.9) == "blurring")
        #expect(BFactorWording.relabel("sharpened (postprocess)", bFactor: 37.9) == "blurred (postprocess)")
        #expect(BFactorWording.relabel("Sharpened map", bFactor: 37.9) == "Blurred map")
        #expect(BFactorWording.relabel("sharpened (postprocess)", bFactor: -37.9) == "sharpened (postprocess)")
        #expect(BFactorWording.relabel("sharpened (postprocess)", bFactor: nil) == "sharpened (postprocess)")
    }

    @Test("a positive applied B reads as blurred in post-processing's summary, glance, Guinier plot and caption, and in the montage and compare labels")
    func blurredEverywhere() throws {
        let data = try NotebookTestData(size: 32)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: blur
        dataset:
          name: blur
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: postprocess
            id: postprocess
            mask: auto
            bfactor: 37.9
          - kind: montage
            id: slices
            maps: [dataset.half_map_1, postprocess.sharpened, postprocess.sharpened_masked]
          - kind: montage
            id: labelled
            maps: [postprocess.sharpened]
            labels: [sharpened (Guinier B)]
          - kind: compare
            id: compare
            maps: [dataset.half_map_1, postprocess.sharpened]
        """)
        let run = try data.run(plan)
        let cells = Dictionary(uniqueKeysWithValues: run.cells.map { ($0.id, $0) })
        for c in run.cells { #expect(c.succeeded, "\(c.id): \(c.message ?? "")") }
        let pp = try #require(cells["postprocess"]?.presentation)
        #expect(pp.summary?.contains("blurred with B = 37.9 Å²") == true, "\(pp.summary ?? "")")
        #expect(pp.glance.first { $0.label == "B-factor applied" }?.value == "37.9 Å² (blurred)")
        let guinier = try #require(pp.figures.first { $0.name == "guinier" })
        #expect(guinier.caption.contains("after blurring with B = 37.9 Å²"), "\(guinier.caption)")
        #expect(!guinier.caption.contains("after sharpening"))
        let curves = try #require(guinier.figure as? GuinierFigure).curves.map(\.name)
        #expect(curves.contains("blurred") && !curves.contains("sharpened"), "\(curves)")
        let montage = try #require(cells["slices"]?.presentation?.figures.first?.figure as? SliceMontageFigure)
        #expect(montage.rows.map(\.label).dropFirst() == ["blurred (postprocess)", "blurred masked (postprocess)"], "\(montage.rows.map(\.label))")
        let labelled = try #require(cells["labelled"]?.presentation?.figures.first?.figure as? SliceMontageFigure)
        #expect(labelled.rows.map(\.label) == ["blurred (Guinier B)"])
        let compare = try #require(cells["compare"]?.presentation?.tables.first { $0.title == "Maps" })
        #expect(compare.rows.map { $0[0] }.last == "blurred (postprocess)", "\(compare.rows.map { $0[0] })")
    }

    @Test("local-resolution colour bar: the data's 2nd to 98th percentile, never below Nyquist")
    func colorRange() {
        // 1.0 … 6.0 Å evenly: the 2nd percentile is 1.1 Å, below a Nyquist of 2 Å.
        let values = (0...1000).map { Float(1 + 5 * Double($0) / 1000) }
        let d = LocalResolutionHistogramFigure.Distribution(values: values, binWidth: 0.25)
        #expect(abs(d.percentile2 - 1.1) < 1e-6 && abs(d.percentile98 - 5.9) < 1e-6)
        let clamped = LocalResolutionCell.colorRange(d, nyquist: 2)
        #expect(clamped.lowerBound == 2 && abs(clamped.upperBound - 5.9) < 1e-6)
        let free = LocalResolutionCell.colorRange(d, nyquist: 0.8)
        #expect(abs(free.lowerBound - 1.1) < 1e-6 && abs(free.upperBound - 5.9) < 1e-6)
        // Everything at Nyquist: still a range, starting there.
        let flat = LocalResolutionCell.colorRange(.init(values: [Float](repeating: 2, count: 50), binWidth: 0.25), nyquist: 2)
        #expect(flat.lowerBound == 2 && flat.upperBound == 2.5)
    }

    @Test("the global-FSC marker reads Nyquist when the FSC is Nyquist-limited")
    func nyquistMarker() {
        let limited = LocalResolutionCell.globalMarker(3.0, nyquist: 3.0)
        #expect(limited.label.hasPrefix("Nyquist") && limited.resolution == 3.0)
        let measured = LocalResolutionCell.globalMarker(3.6, nyquist: 3.0)
        #expect(measured.label == "global FSC" && measured.resolution == 3.6)
    }

    /// A logistic FSC falling through 0.5 at 1/d0.
    static func curve(_ d0: Double, _ k: Double = 40) -> FSCCurve {
        let f = (0...48).map { Double($0) / 96 }
        return FSCCurve(frequency: f, fsc: f.map { 1 / (1 + exp(($0 - 1 / d0) * k)) }, count: f.map { max(1, 4 * .pi * pow($0 * 96, 2)) })
    }

    @Test("density modification: the FSC figure compares like with like and shows FSC_ref's gain, not the inflated one")
    func densityModificationFSC() throws {
        let before = Self.curve(6), inflated = Self.curve(3.5)
        // What the error model estimates: the modified map as good as independent halves at 5 Å.
        let fscRefAfter = Self.curve(5).fsc.map(FSCWeight.reference)
        let equivalent = DensityModifyCell.independentEquivalentFSC(fscRefAfter)
        for (a, b) in zip(equivalent, Self.curve(5).fsc) { #expect(abs(a - b) < 1e-9) }
        let fig = DensityModifyCell.fscFigure(before: before, measuredAfter: inflated, fscRefAfter: fscRefAfter, maxFrequency: 0.5)
        let refAfter = try before.with(values: fscRefAfter).resolution(at: .fixed(0.5)).interpolatedResolution
        let refBefore = try before.with(values: before.fsc.map(FSCWeight.reference)).resolution(at: .fixed(0.5)).interpolatedResolution
        let crossings = fig.crossings.map { 1 / $0.frequency }.sorted()
        #expect(crossings.count == 2, "\(fig.crossings.map(\.label))")
        // The figure's gain is FSC_ref's gain (0.143 on the half-map scale is 0.5 on FSC_ref's).
        #expect(abs(crossings[0] - refAfter) < 0.02 && abs(crossings[1] - refBefore) < 0.02, "\(crossings) against \(refAfter), \(refBefore)")
        let inflatedCrossing = try inflated.resolution(at: .fixed(0.143)).interpolatedResolution
        #expect(!crossings.contains { abs($0 - inflatedCrossing) < 0.1 }, "the inflated FSC is not read at 0.143")
        let measured = try #require(fig.curves.first { $0.role == .context })
        #expect(measured.name.contains("measured") && measured.name.contains("overstates"))
        #expect(fig.curves.map(\.name).allSatisfy { !$0.isEmpty })
    }
}

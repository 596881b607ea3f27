import Foundation
import Testing
import MapbookCore
import MapModel
import Postprocessing
import ModelValidation
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("Verdict rules")
struct VerdictRulesTests {
    /// The masked, corrected FSC report of the test pair (32³ at 2 Å, 7 Å), to alter.
    static func fscReport() throws -> HalfMapFSCReport {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let h1 = try MRCFile.read(path: data.file("half1.mrc")).volume, h2 = try MRCFile.read(path: data.file("half2.mrc")).volume
        return try Postprocess.fsc(half1: h1, half2: h2, mask: .automatic(AutoMaskParameters())).report
    }

    @Test("the FSC: a clean run passes; Nyquist-limited, data that end, a mask too tight, too small or at the box edge are named with an action")
    func fsc() throws {
        var r = try Self.fscReport()
        // The small test box's automatic mask reaches its edge: a caution of its own (below).
        #expect(VerdictRules.fsc(r, section: "FSC").map(\.reason) == (r.mask!.touchesBoxEdge ? ["the mask reaches the edge of the box"] : []))
        r.mask?.touchesBoxEdge = false
        let clean = VerdictRules.fsc(r, section: "FSC")
        #expect(clean.isEmpty, "\(clean)")
        #expect(Verdict.summarising(clean, section: "FSC", passReason: "ok").level == .pass)

        var nyquist = r
        nyquist.resolution.status = .neverCrosses
        let n = try #require(VerdictRules.fsc(nyquist, section: "FSC").first)
        #expect(n.level == .caution && n.reason == "Nyquist-limited: the FSC stays above 0.143 up to 4.00 Å" && n.action == "re-extract the particles with a smaller pixel size")

        var ends = r
        ends.resolution.status = .dataEnds
        #expect(VerdictRules.fsc(ends, section: "FSC").first?.reason.contains("low-pass filtered half maps") == true)

        var tight = r
        let shell = try #require(tight.randomizationShell)
        var random = try #require(tight.fscRandomizedMasked)
        for i in (shell + 2)..<random.shellCount { random.fsc[i] = 0.35 }
        tight.fscRandomizedMasked = random
        let t = VerdictRules.fsc(tight, section: "FSC")
        #expect(t.contains { $0.level == .fail && $0.reason.hasPrefix("the phase-randomised masked FSC reaches 0.35") }, "\(t)")
        #expect(Verdict.summarising(t, section: "FSC", passReason: "ok").level == .fail)

        var small = r
        small.mask?.fractionAboveHalf = 0.013
        small.mask?.touchesBoxEdge = true
        let s = VerdictRules.fsc(small, section: "FSC")
        #expect(s.contains { $0.reason == "the molecule (mask) fills 1.3 % of the box" } && s.contains { $0.reason == "the mask reaches the edge of the box" })
    }

    @Test("the model fit: mean Q below expected (caution, then fail), low CC_mask, one half favoured, a shifted model")
    func modelFit() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        try data.writeModel("model.pdb")
        let h1 = try MRCFile.read(path: data.file("half1.mrc")).volume, h2 = try MRCFile.read(path: data.file("half2.mrc")).volume
        var p = ModelFitParameters()
        p.resolution = 3
        var r = try ModelFit.run(map: HalfMapPair.average(h1, h2), model: try AtomicModelFile.read(path: data.file("model.pdb")),
                                 halves: (h1, h2), parameters: p)
        let e = try #require(r.expectedQ)
        r.correlations.mask = 0.8
        r.fscHalves![1].correlation = r.fscHalves![0].correlation
        r.placement.bestShiftVoxels = .zero
        r.meanQ = e
        #expect(VerdictRules.modelFit(r, section: "Model fit").isEmpty)
        r.meanQ = e - 0.15
        #expect(VerdictRules.modelFit(r, section: "Model fit").map(\.level) == [.caution])
        r.meanQ = e - 0.25
        let f = try #require(VerdictRules.modelFit(r, section: "Model fit").first)
        #expect(f.level == .fail && f.reason.hasPrefix("mean Q") && f.action?.hasPrefix("check the fit") == true)
        r.meanQ = e
        r.correlations.mask = 0.3
        r.fscHalves![1].correlation = r.fscHalves![0].correlation - 0.1
        #expect(VerdictRules.modelFit(r, section: "Model fit").map(\.level) == [.caution, .caution])
        r.placement.bestShiftVoxels = SIMD3(2, 0, 0)
        r.placement.correlationAtBestShift = r.placement.correlationAsPlaced + 0.3
        #expect(Verdict.summarising(VerdictRules.modelFit(r, section: "Model fit"), section: "Model fit", passReason: "").level == .fail)
    }
}

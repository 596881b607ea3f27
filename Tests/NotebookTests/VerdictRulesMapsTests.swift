import Foundation
import Testing
import MapbookCore
import MapModel
import LocalResolution
import LocalSharpening
import Sharpening
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

/// The rules of `VerdictRulesMaps.swift`, each reached by altering a real result of the test
/// pair (32³ at 2 Å, FSC 0.143 at 7 Å).
@Suite("Verdict rules: local resolution and sharpening")
struct VerdictRulesMapsTests {
    static func halves() throws -> (Volume, Volume) {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        return (try MRCFile.read(path: data.file("half1.mrc")).volume, try MRCFile.read(path: data.file("half2.mrc")).volume)
    }

    @Test("local resolution: a clean run passes; too little of the mask assigned is a caution, then a fail; regions at Nyquist are a caution")
    func localResolution() throws {
        let (h1, h2) = try Self.halves()
        var s = try MonoRes.run(half1: h1, half2: h2, mask: nil).summary
        let nyquist = 4.0
        s.assignedFraction = 0.9
        s.percentile5 = 6
        #expect(VerdictRules.localResolution(s, nyquist: nyquist, section: "Local").isEmpty)
        s.assignedFraction = 0.35
        #expect(VerdictRules.localResolution(s, nyquist: nyquist, section: "Local").map(\.level) == [.caution])
        s.assignedFraction = 0.1
        let f = try #require(VerdictRules.localResolution(s, nyquist: nyquist, section: "Local").first)
        #expect(f.level == .fail && f.reason.hasPrefix("only 10 % of the mask"))
        s.assignedFraction = 0.9
        s.percentile5 = 4.1
        let n = try #require(VerdictRules.localResolution(s, nyquist: nyquist, section: "Local").first)
        #expect(n.level == .caution && n.reason.contains("at Nyquist (4.00 Å)") && n.action == "re-extract the particles with a smaller pixel size")
    }

    @Test("sharpening: a forced map fails; a searched method worse than 4.5 Å, no better score, or a positive B are cautions")
    func sharpening() throws {
        let (h1, h2) = try Self.halves()
        var p = SharpeningParameters()
        p.resolution = 4.2
        var r = try AutoSharpen.run(SharpeningInputs(map: HalfMapPair.average(h1, h2)), parameters: p).report
        r.choice.referenceScore = r.choice.score - 1
        let clean = VerdictRules.sharpening(r, effectiveBFactor: -50, section: "Sharpen")
        #expect(clean.isEmpty, "\(clean)")
        #expect(VerdictRules.sharpening(r, effectiveBFactor: 20, section: "Sharpen").map(\.reason) == ["B = +20.0 Å² blurs the map rather than sharpening it"])
        r.choice.referenceScore = r.choice.score + 1
        #expect(VerdictRules.sharpening(r, effectiveBFactor: -50, section: "Sharpen").map(\.reason) == ["no sharpening scored better than the map as it was"])
        r.choice.referenceScore = r.choice.score - 1
        r.parameters.resolution = 6
        #expect(VerdictRules.sharpening(r, effectiveBFactor: -50, section: "Sharpen").first?.reason == "at 6.0 Å the clarity score hardly discriminates between sharpenings")
        r.parameters.resolution = 4.2
        r.warnings.append("99 % of the voxels hold one exact value, so the map looks masked (sharpened anyway: forced)")
        let f = VerdictRules.sharpening(r, effectiveBFactor: -50, section: "Sharpen")
        #expect(Verdict.summarising(f, section: "Sharpen", passReason: "").level == .fail)
    }

    @Test("local sharpening: an imported map, early stops and an inner-iteration cap are cautions; parameter hints are notes")
    func localSharpening() throws {
        let (h1, _) = try Self.halves()
        var resolution = Volume(grid: h1.grid)
        let n = h1.grid.size
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let d = SIMD3(Double(x - n.x / 2), Double(y - n.y / 2), Double(z - n.z / 2))
            if (d * d).sum() < 100 { resolution.voxels[(z * n.y + y) * n.x + x] = 7 }
        } } }
        var s = try LocalSharpening.run(map: h1, resolution: resolution, origin: .computed, globalResolution: 7).summary
        for i in s.rounds.indices { s.rounds[i].deblur.stoppedByRule = true }
        s.stopReason = .roundsDone
        #expect(VerdictRules.localSharpening(s, section: "Local").isEmpty)
        s.resolutionMapOrigin = .imported
        #expect(VerdictRules.localSharpening(s, section: "Local").map(\.level) == [.caution])
        s.resolutionMapOrigin = .computed
        s.stopReason = .reestimationImpossible
        #expect(VerdictRules.localSharpening(s, section: "Local").first?.action == "use the first round's map (iterations: 1)")
        s.stopReason = .roundsDone
        s.rounds[0].deblur.stoppedByRule = false
        #expect(VerdictRules.localSharpening(s, section: "Local").first?.reason.hasPrefix("LocalDeblur reached its cap") == true)
    }
}

import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import Simulation
@testable import DensityModification

@Suite("Density modification on simulated haemoglobin half maps", .serialized)
struct DensityModificationTests {
    static func solvent(_ grid: VoxelGrid, _ fasta: String) throws -> SolventFraction {
        try SolventFraction.fromSequence(String(contentsOfFile: fasta, encoding: .utf8), boxVolume: DensityModification.boxVolume(grid), path: fasta)
    }

    @Test("the modified map is closer to the truth, no shell worse, FSC_ref predicts the truth")
    func improvesAgainstTruth() throws {
        guard let (data, fasta) = SimulatedHaemoglobin.dataset else { return }
        let solvent = try Self.solvent(data.truth.grid, fasta)
        #expect(abs(solvent.value - 0.73) < 0.03)
        let out = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent)
        let r = out.report
        let before = SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(data.half1, data.half2), data.truth)
        let after = SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(out.half1, out.half2), data.truth)
        let crossBefore = before.resolution(at: .fixed(0.5)).interpolatedResolution
        let crossAfter = after.resolution(at: .fixed(0.5)).interpolatedResolution
        print(String(format: "solvent %.3f (%@); d = %.2f Å; cycles %d; FSC(map, truth) = 0.5 at %.2f → %.2f Å; half-map FSC 0.143 %.2f → %.2f Å; FSC_ref 0.5 %.2f → %.2f Å",
                     solvent.value, solvent.source, r.resolution, r.cycles.count, crossBefore, crossAfter,
                     r.resolutionBefore.interpolatedResolution, r.resolutionAfter.interpolatedResolution,
                     r.fscRefHalfBefore.interpolatedResolution, r.fscRefHalfAfter.interpolatedResolution))
        // Every shell where the truth still correlates (> 0.2), one shell at a time.
        var worst = 0.0, worstPrediction = 0.0, worstShell = 0
        for s in 1..<after.shellCount where before.fsc[s].isFinite {
            worst = min(worst, after.fsc[s] - before.fsc[s])
            if after.fsc[s] > 0.2, abs(r.fscRefAfter[s] - after.fsc[s]) > worstPrediction {
                worstPrediction = abs(r.fscRefAfter[s] - after.fsc[s]); worstShell = s
            }
            print(String(format: "shell %2d %5.2f Å  true %.3f → %.3f   predicted %.3f → %.3f", s, after.resolution(s), before.fsc[s], after.fsc[s],
                         r.fscRefBefore[s], r.fscRefAfter[s]))
        }
        print(String(format: "worst shell change %.4f; worst FSC_ref prediction error %.4f (shell %d); warnings: %@",
                     worst, worstPrediction, worstShell, r.warnings.joined(separator: " | ")))
        #expect(crossBefore - crossAfter >= 0.3)
        #expect(worst >= -0.02)
        #expect(worstPrediction <= 0.05)
        #expect(r.warnings.isEmpty)
        let finite = out.map.voxels.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test("masked half maps are reported")
    func maskedHalves() throws {
        guard let (data, fasta) = SimulatedHaemoglobin.dataset else { return }
        var h1 = data.half1, h2 = data.half2
        for i in 0..<h1.grid.count { h1.voxels[i] *= data.mask.voxels[i]; h2.voxels[i] *= data.mask.voxels[i] }
        #expect(HalfMapChecks.masked(data.half1, name: "half 1") == nil)
        let out = try DensityModification.run(half1: h1, half2: h2, solvent: try Self.solvent(h1.grid, fasta))
        print(out.report.warnings)
        #expect(out.report.warnings.contains { $0.contains("looks masked") && $0.contains("unmasked") })
    }

    /// Half maps with `change` applied to each voxel's (truth, noise).
    static func altered(_ data: SimulatedDataset, _ change: (Int, Int, Int, Float, Float) -> Float) -> (Volume, Volume) {
        var h1 = data.half1, h2 = data.half2
        let g = data.truth.grid
        for z in 0..<g.size.z { for y in 0..<g.size.y { for x in 0..<g.size.x {
            let i = g.index(x, y, z), t = data.truth.voxels[i]
            h1.voxels[i] = change(x, y, z, t, h1.voxels[i] - t)
            h2.voxels[i] = change(x, y, z, t, h2.voxels[i] - t)
        } } }
        return (h1, h2)
    }

    @Test("non-uniform solvent noise is reported")
    func nonUniformNoise() throws {
        guard let (data, fasta) = SimulatedHaemoglobin.dataset else { return }
        let n = data.truth.grid.size.x
        // Noise three times as strong at one x face as at the other.
        let (h1, h2) = Self.altered(data) { x, _, _, t, e in t + Float(1 + 2 * Double(x) / Double(n - 1)) * e }
        let out = try DensityModification.run(half1: h1, half2: h2, solvent: try Self.solvent(h1.grid, fasta))
        print(out.report.noise)
        #expect(out.report.warnings.contains { $0.contains("noise in the solvent is not uniform") })
        let clean = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: try Self.solvent(h1.grid, fasta))
        #expect(clean.report.warnings.isEmpty, "\(clean.report.warnings)")
    }

    @Test("strong density far from the molecule is reported")
    func distantDensity() throws {
        guard let data = SimulatedHaemoglobin.roomy, let fasta = SharedData.path("emd_3488/5me2_seqres.fasta") else { return }
        let peak = Float(data.truth.statistics.max)
        // A ball of strong density in both halves, near a corner of the 96 Å box.
        let (h1, h2) = Self.altered(data) { x, y, z, t, e in
            let d2 = Double((x - 8) * (x - 8) + (y - 8) * (y - 8) + (z - 8) * (z - 8))
            return t + e + peak * Float(exp(-d2 / (2 * 3.0 * 3.0)))
        }
        let solvent = try Self.solvent(h1.grid, fasta)
        let out = try DensityModification.run(half1: h1, half2: h2, solvent: solvent)
        print(solvent.value, out.report.distantDensity, out.report.warnings)
        #expect(out.report.warnings.contains { $0.contains("strong density lies") })
        let clean = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent)
        #expect(clean.report.distantDensity.isEmpty, "\(clean.report.distantDensity)")
    }

    @Test("model-based: the model map joins the combination, and the report says what that means")
    func withModel() throws {
        guard let (data, fasta) = SimulatedHaemoglobin.dataset else { return }
        // The noise-free model map of the very model the data were made from: the most
        // favourable (and most biased) case; it must be weighted in and the caveat reported.
        let out = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: try Self.solvent(data.truth.grid, fasta),
                                              modelMap: data.truth)
        let r = out.report
        #expect(r.modelUsed)
        #expect(r.limitations.contains { $0.contains("not randomised or refined") })
        #expect(r.cycles.last!.shells.contains { ($0.weights.count == 3 ? $0.weights[2] : 0) > 0 })
        let after = SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(out.half1, out.half2), data.truth)
        print(String(format: "with the model: FSC(map, truth) 0.5 at %.2f Å; predicted FSC_ref 0.5 at %.2f Å",
                     after.resolution(at: .fixed(0.5)).interpolatedResolution, r.fscRefHalfAfter.interpolatedResolution))
        #expect(after.resolution(at: .fixed(0.5)).interpolatedResolution < 3.49)
    }

    @Test("a run that would not fit in memory stops with a clear message")
    func memoryRefusal() throws {
        let grid = VoxelGrid(cube: 32, voxel: 2)
        var p = DensityModificationParameters()
        p.availableMemory = 1 << 20
        #expect {
            try DensityModification.run(half1: Volume(grid: grid), half2: Volume(grid: grid), solvent: .given(0.7), parameters: p)
        } throws: { e in
            "\(e)".contains("needs about") && "\(e)".contains("available")
        }
    }

    @Test("real beta-galactosidase half maps run to completion with finite output")
    func betaGalactosidase() throws {
        guard let p1 = SharedData.path("relion_tutorial_betagal/run_half1_class001_unfil.mrc"),
              let p2 = SharedData.path("relion_tutorial_betagal/run_half2_class001_unfil.mrc") else { return }
        let h1 = try MRCFile.read(path: p1).volume
        var h2 = try MRCFile.read(path: p2).volume
        h2.grid = h1.grid
        // Beta-galactosidase: a 465 kDa tetramer.
        let solvent = try SolventFraction.fromMolecularMass(465_000, boxVolume: DensityModification.boxVolume(h1.grid))
        let out = try DensityModification.run(half1: h1, half2: h2, solvent: solvent)
        let r = out.report
        print(String(format: "betagal: solvent %.3f; FSC 0.143 %.2f → %.2f Å; FSC_ref 0.5 %.2f → %.2f Å; B %.1f; cycles %d; warnings %@",
                     solvent.value, r.resolutionBefore.interpolatedResolution, r.resolutionAfter.interpolatedResolution,
                     r.fscRefHalfBefore.interpolatedResolution, r.fscRefHalfAfter.interpolatedResolution, r.appliedBFactor, r.cycles.count,
                     r.warnings.joined(separator: " | ")))
        for v in [out.map, out.half1, out.half2] {
            let finite = v.voxels.allSatisfy { $0.isFinite }
            #expect(finite)
        }
        #expect(r.fscRefAfter.dropFirst().allSatisfy { $0.isFinite })
    }
}

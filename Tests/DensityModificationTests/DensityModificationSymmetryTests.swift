import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import Simulation
import Symmetry
@testable import DensityModification

/// Half maps of a D2 tetramer (chain A of haemoglobin 5ME2 placed off the axes and expanded
/// about the box centre) at about 4 Å, with noise independent between the copies (as in a
/// reconstruction without imposed symmetry), solvent about 0.75.
enum SimulatedTetramer {
    static let dataset: (data: SimulatedDataset, solvent: SolventFraction)? = {
        guard let pdb = SharedData.path("emd_3488/5me2.pdb") else { return nil }
        let model = try! AtomicModelFile.read(path: pdb)
        let chain = AtomicModel(atoms: model.atoms.filter { $0.chainID == "A" })
        let grid = VoxelGrid(cube: 46, voxel: 1.5)
        let centre = SymmetryCentre.box(grid)
        let unit = chain.translated(by: centre + SIMD3(11, 11, 9) - chain.boxCentre)
        let tetramer = unit.symmetryExpanded(by: try! PointGroup("D2"), about: centre)
        var p = SimulationParameters()
        p.voxelSize = 1.5
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        p.exactFSC = true
        p.seed = 17
        let data = try! DatasetSimulator.make(p, model: tetramer, grid: grid)
        let residues = chain.atoms.filter { $0.name == "CA" }.count
        let solvent = try! SolventFraction.fromMolecularMass(Double(4 * residues) * SolventFraction.daltonsPerResidue,
                                                             boxVolume: DensityModification.boxVolume(grid))
        return (data, solvent)
    }()
}

@Suite("Density modification with point-group symmetry", .serialized)
struct DensityModificationSymmetryTests {
    /// FSC(average of the modified halves, truth), the largest per-shell over- and
    /// under-prediction of FSC_ref where the truth exceeds 0.2, and the worst shell change.
    static func assess(_ out: DensityModificationOutput, _ data: SimulatedDataset) throws -> (cross: Double, optimism: Double, pessimism: Double, worstChange: Double) {
        let before = SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(data.half1, data.half2), data.truth)
        let after = SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(out.half1, out.half2), data.truth)
        var optimism = 0.0, pessimism = 0.0, change = 0.0
        for s in 1..<after.shellCount where before.fsc[s].isFinite {
            change = min(change, after.fsc[s] - before.fsc[s])
            if after.fsc[s] > 0.2 {
                optimism = max(optimism, out.report.fscRefAfter[s] - after.fsc[s])
                pessimism = max(pessimism, after.fsc[s] - out.report.fscRefAfter[s])
            }
            print(String(format: "shell %2d %5.2f Å  true %.3f → %.3f   predicted %.3f → %.3f", s, after.resolution(s), before.fsc[s], after.fsc[s],
                         out.report.fscRefBefore[s], out.report.fscRefAfter[s]))
        }
        return (try after.resolution(at: .fixed(0.5)).interpolatedResolution, optimism, pessimism, change)
    }

    /// With D2 the modified halves' true fraction k stays high up to the Nyquist band and
    /// falls within it; the line fit of k over neighbouring shells carries that fall into the
    /// shells below, so FSC_ref after is pessimistic there (by 0.08 on this set; optimistic by
    /// no more than 0.021). The test holds the prediction to 0.05 on the optimistic side, the
    /// one that would mislead, and the plain run to 0.05 both ways.
    @Test("D2 averaging of each half adds to the gain; FSC_ref after is not optimistic")
    func averagingHelps() throws {
        guard let (data, solvent) = SimulatedTetramer.dataset else { return }
        let before = try SimulatedHaemoglobin.fsc(SimulatedHaemoglobin.average(data.half1, data.half2), data.truth)
            .resolution(at: .fixed(0.5)).interpolatedResolution
        let plain = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent)
        var p = DensityModificationParameters()
        p.symmetry = "D2"
        let symmetric = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent, parameters: p)
        let a = try Self.assess(plain, data), b = try Self.assess(symmetric, data)
        let use = try #require(symmetric.report.symmetry)
        print(String(format: "tetramer, solvent %.3f: FSC(map, truth) 0.5 at %.2f Å; C1 %.2f Å (FSC_ref over/under %.3f/%.3f, shell change %.4f); D2 %.2f Å (FSC_ref over/under %.3f/%.3f, shell change %.4f); copies correlate %.3f; warnings %@",
                     solvent.value, before, a.cross, a.optimism, a.pessimism, a.worstChange, b.cross, b.optimism, b.pessimism, b.worstChange,
                     use.meanCorrelation, symmetric.report.warnings.joined(separator: " | ")))
        #expect(use.group == "D2" && use.order == 4 && !use.detected)
        #expect(use.meanCorrelation > 0.75)
        #expect(b.cross < a.cross - 0.1)
        #expect(max(a.optimism, a.pessimism) <= 0.05)
        #expect(b.optimism <= 0.05)
        #expect(b.worstChange >= -0.02)
        #expect(symmetric.report.warnings.isEmpty, "\(symmetric.report.warnings)")
    }

    @Test("symmetry: auto finds D2 about the box centre")
    func detection() throws {
        guard let (data, solvent) = SimulatedTetramer.dataset else { return }
        var p = DensityModificationParameters()
        p.symmetry = "auto"
        p.cycles = 1
        let out = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent, parameters: p)
        let use = try #require(out.report.symmetry)
        #expect(use.group == "D2" && use.detected)
        let c = SymmetryCentre.box(data.truth.grid)
        #expect(abs(use.centre[0] - c.x) < 1e-6 && abs(use.centre[1] - c.y) < 1e-6 && abs(use.centre[2] - c.z) < 1e-6)
    }

    @Test("a group the map does not have is reported; a bad symbol is a one-line error")
    func wrongGroup() throws {
        guard let (data, solvent) = SimulatedTetramer.dataset else { return }
        var p = DensityModificationParameters()
        p.symmetry = "C3"
        p.cycles = 1
        let out = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent, parameters: p)
        print(out.report.warnings)
        #expect(out.report.warnings.contains { $0.contains("do not show C3 symmetry") })
        p.symmetry = "Q5"
        #expect {
            try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent, parameters: p)
        } throws: { "\($0)".contains("unknown point group 'Q5'") && !"\($0)".contains("\n") }
    }
}

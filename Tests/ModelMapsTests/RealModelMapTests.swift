import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
@testable import ModelMaps

/// The model map of haemoglobin (PDB 5ME2) against its deposited cryo-EM map (EMD-3488, 3.2 Å)
/// and against gemmi's density for the same model and grid.
@Suite("Model maps of 5ME2 on the EMD-3488 grid")
struct RealModelMapTests {
    @Test("correlates with the deposited map inside the model mask (CC ≥ 0.6)",
          .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func againstDepositedMap() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        let model = try AtomicModelFile.read(path: modelPath)
        let map = try MRCFile.read(path: mapPath).volume
        let start = Date()
        let modelMap = try ModelMap.density(of: model, on: map.grid)
        let seconds = Date().timeIntervalSince(start)
        let mask = ModelMask.soft(model, grid: map.grid, radius: 3, edge: 3)
        let cc = Volume.correlation(map, modelMap, mask: mask)
        let filtered = try ModelMap.density(of: model, on: map.grid, parameters: ModelMapParameters(resolution: 3.2))
        let ccFiltered = Volume.correlation(map, filtered, mask: mask)
        let comparison = try MapModelFSC.compare(map: map, modelMap: modelMap, mask: mask)
        print(String(format: "5me2 model map (%d atoms, %.2f s debug): CC in model mask %.4f (low-passed at 3.2 Å: %.4f); whole box %.4f; map-model FSC 0.5 at %.2f Å, 0.143 at %.2f Å",
                     model.atoms.count, seconds, cc, ccFiltered, Volume.correlation(map, modelMap),
                     comparison.resolutionAtHalf.interpolatedResolution, comparison.resolutionAtGoldStandard.interpolatedResolution))
        #expect(cc >= 0.6)
        #expect(ccFiltered >= 0.6)
        #expect(comparison.resolutionAtHalf.interpolatedResolution < 6)
    }

    @Test("agrees with gemmi's electron density for the same model and grid (CC ≥ 0.98)",
          .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func againstGemmi() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        guard ExternalTool.pythonHas("gemmi") else { return }
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let model = try AtomicModelFile.read(path: modelPath)
        let grid = try MRCFile.read(path: mapPath).volume.grid
        for blur in [0.0, 40.0] {
            let out = tmp.file("gemmi_\(Int(blur)).ccp4")
            let script = SharedData.fixture("gemmi/gemmi_density.py")
            let run = ExternalTool.run("python3", [script, modelPath, mapPath, out, "--blur", String(blur)])
            #expect(run?.status == 0, "gemmi script failed: \(run?.stderr ?? "could not start python3")")
            guard run?.status == 0 else { return }
            let gemmiMap = try MRCFile.read(path: out).volume
            #expect(gemmiMap.grid.mismatch(with: grid) == nil)
            let ours = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: blur))
            let cc = Volume.correlation(ours, gemmiMap)
            let mask = ModelMask.soft(model, grid: grid)
            let ccMasked = Volume.correlation(ours, gemmiMap, mask: mask)
            let ratio = ours.statistics.mean / gemmiMap.statistics.mean
            print(String(format: "5me2 vs %@, extra B %.0f Å²: CC %.6f (in model mask %.6f), mean ratio %.5f, max %.4f vs %.4f",
                         run!.stdout.trimmingCharacters(in: .whitespacesAndNewlines), blur, cc, ccMasked, ratio,
                         Double(ours.statistics.max), Double(gemmiMap.statistics.max)))
            #expect(cc >= 0.98)
            #expect(ccMasked >= 0.98)
            #expect(abs(ratio - 1) < 0.01, "same table and units: the densities should have the same scale")
        }
    }
}

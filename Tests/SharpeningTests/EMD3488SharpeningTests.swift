import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import Postprocessing
@testable import Sharpening

/// Auto-sharpening the deposited EMD-3488 map (haemoglobin, 3.2 Å) judged as Terwilliger et al.
/// (2018) judge it: the correlation, inside a model mask, with a map of the deposited model
/// 5ME2 whose B-factors are all set to zero (computed to the map's 3.2 Å resolution).
@Suite("Automatic sharpening of EMD-3488")
struct EMD3488SharpeningTests {
    static let files = ["emd_3488/emd_3488.mrc", "emd_3488/5me2.pdb", "emd_3488/5me2_seqres.fasta"]

    @Test("auto-sharpened CC(B=0 model) ≥ deposited and ≥ Guinier-sharpened (within 0.005); each score's choice",
          .enabled(if: files.allSatisfy { SharedData.has($0) }))
    func againstModel() throws {
        guard let mapPath = SharedData.path(Self.files[0]), let modelPath = SharedData.path(Self.files[1]),
              let fastaPath = SharedData.path(Self.files[2]) else { return }
        let file = try MRCFile.read(path: mapPath)
        let map = file.volume
        let resolution = 3.2
        var model = try AtomicModelFile.read(path: modelPath)
        let mask = ModelMask.soft(model, grid: map.grid, radius: 3, edge: 3)
        for i in model.atoms.indices { model.atoms[i].bFactor = 0 }
        let reference = try ModelMap.density(of: model, on: map.grid, parameters: ModelMapParameters(resolution: resolution))
        func cc(_ v: Volume) -> Double { Volume.correlation(v, reference, mask: mask) }

        // Guinier sharpening of the single map: Postprocessing's fit with both "halves" the
        // same map (so the FSC is 1 and FSC weighting is off), from 10 Å to the resolution.
        var pp = PostprocessParameters()
        pp.fscWeighting = false
        pp.bFactor = .automatic(lowResolution: 10, highResolution: resolution)
        let guinier = try Postprocess.run(half1: map, half2: map, mask: .none, parameters: pp)

        let molecule = MolecularVolume.fromSequence(try SequenceComposition.read(path: fastaPath))
        var results: [SharpeningScoreTarget: (Double, SharpeningReport)] = [:]
        for target in SharpeningScoreTarget.allCases {
            var p = SharpeningParameters(resolution: resolution)
            p.scoreTarget = target
            // The deposited map is masked (71 % exact zeros): the guard refuses it, for the
            // reason it gives; the mask is wide (29 % of the box for a 6.5 % molecule), so the
            // solvent inside it still holds noise for the score to see.
            p.force = true
            let start = Date()
            let out = try AutoSharpen.run(SharpeningInputs(map: map, molecularVolume: molecule, labels: file.header.labels, mapPath: mapPath), parameters: p)
            let seconds = Date().timeIntervalSince(start)
            results[target] = (cc(out.map), out.report)
            let r = out.report
            print(String(format: "EMD-3488 %@: %@ in %.1f s (debug); box %@ %d×%d×%d, solvent %.3f, T %d; map B %.1f Å²; region weight %.2f (%@)",
                         target.rawValue, r.choice.reason, seconds, r.region.how, r.region.box.size.x, r.region.box.size.y, r.region.box.size.z,
                         r.region.solventFraction, r.region.enclosedVoxels, r.mapBFactor.bFactor, r.regionWeight, r.regionWeightSource))
        }
        // For the record: where along the B grid the metric itself peaks, beside both scores
        // (the two runs share the grid).
        let sa = results[.adjustedSurfaceArea]!.1.trials.filter { $0.stage == .grid }
        let ku = results[.kurtosis]!.1.trials.filter { $0.stage == .grid }
        let scan = try zip(sa, ku).map { a, k in
            String(format: "map B %.0f: CC %.4f, adjusted SA %.4f, kurtosis %.3f", a.mapBAfter!,
                   cc(try AutoSharpen.apply(a.settings!, to: map, resolution: resolution)), a.score ?? .nan, k.score ?? .nan)
        }
        print("EMD-3488 grid: " + scan.joined(separator: "; "))
        let deposited = cc(map), guinierCC = cc(guinier.sharpened)
        let auto = results[.adjustedSurfaceArea]!.0, kurt = results[.kurtosis]!.0
        print(String(format: "EMD-3488 CC with the B=0 model map in the model mask: deposited %.4f, Guinier-sharpened (B %.1f Å²) %.4f, auto-sharpened (adjusted SA) %.4f, auto-sharpened (kurtosis) %.4f",
                     deposited, guinier.report.appliedBFactor, guinierCC, auto, kurt))
        #expect(auto >= deposited - 0.005)
        #expect(auto >= guinierCC - 0.005)
        // Each score makes its own choice, on the same grid.
        for (_, (_, report)) in results {
            #expect(report.choice.settings.method == .bIsoToDCut)
            #expect(report.region.how == "automatic box of density")
            #expect(report.molecularVolume.source == .sequence)
        }
    }
}

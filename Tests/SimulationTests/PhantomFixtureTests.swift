import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
@testable import Simulation

/// The committed phantom dataset (fixtures/phantom, made by scripts/make-fixtures.sh).
@Suite("Fixture: fixtures/phantom")
struct PhantomFixtureTests {
    let folder = SharedData.fixture("phantom")

    func map(_ name: String) throws -> Volume { try MRCFile.read(path: folder + "/" + name + ".mrc.gz").volume }

    /// The generating parameters recorded in simulate.json.
    func parameters() throws -> SimulationParameters {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/simulate.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let simulation = json["simulation"] as! [String: Any]
        let parameters = try JSONSerialization.data(withJSONObject: simulation["parameters"]!)
        return try JSONDecoder().decode(SimulationParameters.self, from: parameters)
    }

    @Test("the fixture is what its recorded parameters generate")
    func regenerates() throws {
        let p = try parameters()
        let again = try DatasetSimulator.make(p)
        var identical = true
        for (name, volume) in [("truth", again.truth), ("half1", again.half1), ("half2", again.half2),
                               ("localres", again.localResolution), ("mask", again.mask)] {
            let stored = try map(name)
            #expect(stored.grid.mismatch(with: volume.grid) == nil, "\(name)")
            let scale = Double(max(abs(volume.statistics.min), abs(volume.statistics.max)))
            var worst = 0.0
            for i in 0..<stored.voxels.count { worst = max(worst, Double(abs(stored.voxels[i] - volume.voxels[i]))) }
            if worst > 0 { identical = false }
            #expect(worst <= 1e-5 * scale, "\(name): differs by \(worst)")
        }
        let pdb = try AtomicModelFile.read(path: folder + "/model.pdb")
        #expect(pdb.atoms == again.model.atoms)
        print("fixtures/phantom regenerated in-process: \(identical ? "bit-identical" : "equal within 1e-5 (FFT plans differ in the last bits on this machine)")")
    }

    @Test("its half maps have the recorded FSC, and its local-resolution truth the recorded design")
    func consistent() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/simulate.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let shells = (json["simulation"] as! [String: Any])["shells"] as! [[String: Any]]
        let h1 = try map("half1"), h2 = try map("half2")
        let fsc = FourierShells(grid: h1.grid).fsc(FFT.forward(h1), FFT.forward(h2))
        for s in shells.dropFirst() {
            let i = s["shell"] as! Int
            #expect(abs(fsc.fsc[i] - (s["expectedFSC"] as! Double)) < 1e-4, "shell \(i)")
        }
        #expect(abs(try fsc.resolution(at: .goldStandard).interpolatedResolution - 4) < 0.05)
        let local = try map("localres")
        let values = Set(local.voxels.array.filter { $0 != 0 }.map { ($0 * 100).rounded() / 100 })
        #expect(values.min()! == 3.5 && values.max()! == 6)
        // The −x side of the molecule is the sharp one.
        let model = try AtomicModelFile.read(path: folder + "/model.pdb")
        let centre = model.boxCentre
        let g = local.grid
        var left: [Float] = [], right: [Float] = []
        for z in 0..<g.size.z { for y in 0..<g.size.y { for x in 0..<g.size.x where local[x, y, z] > 0 {
            let px = g.firstVoxelPosition.x + Double(x) * g.voxelSize.x
            if px < centre.x - 6 { left.append(local[x, y, z]) } else if px > centre.x + 6 { right.append(local[x, y, z]) }
        } } }
        #expect(left.allSatisfy { $0 < 3.6 } && right.allSatisfy { $0 > 5.9 })
        // The truth is the model's map blurred to 3.5–6 Å: they still correlate well.
        let truth = try map("truth")
        let modelMap = try ModelMap.density(of: model, on: truth.grid)
        let cc = Volume.correlation(truth, modelMap, mask: try map("mask"))
        print(String(format: "fixtures/phantom: truth vs model map of model.pdb, CC in mask %.3f", cc))
        #expect(cc > 0.75)
    }
}

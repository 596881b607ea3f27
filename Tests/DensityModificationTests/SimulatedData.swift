import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Simulation
import TestSupport

/// Half maps simulated from the haemoglobin model 5ME2 at about 4 Å, in a box whose solvent
/// fraction (from the sequence) is about 0.7, made once for all tests.
enum SimulatedHaemoglobin {
    /// The dataset and the sequence file's path, or nil (with a printed reason) without the data.
    static let dataset: (data: SimulatedDataset, fasta: String)? = {
        guard let pdb = SharedData.path("emd_3488/5me2.pdb"), let fasta = SharedData.path("emd_3488/5me2_seqres.fasta") else { return nil }
        let model = try! AtomicModelFile.read(path: pdb)
        var p = SimulationParameters()
        p.voxelSize = 1.5
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        // Exact: the realised FSC of every shell is the design, so the shells' sampling scatter
        // (±0.05 in this small box) does not mask the error of the prediction being tested.
        p.exactFSC = true
        p.seed = 7
        // 69 × 69 × 60 Å around the model's centre: 566 residues fill 27 % of it.
        let size = SIMD3(46, 46, 40)
        let b = model.bounds
        let centre = (b.min + b.max) / 2
        let v = p.voxelSize
        let halfBox: SIMD3<Double> = SIMD3(Double(size.x / 2), Double(size.y / 2), Double(size.z / 2)) * v
        let steps: SIMD3<Double> = ((centre - halfBox) / v).rounded(.toNearestOrEven)
        let first: SIMD3<Double> = steps * v
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(repeating: p.voxelSize), origin: first)
        let data = try! DatasetSimulator.make(p, model: model, grid: grid)
        return (data, fasta)
    }()

    /// The same model in a roomier 96 Å cube (solvent fraction about 0.9), for checks that need
    /// space between the molecule and the box.
    static let roomy: SimulatedDataset? = {
        guard let pdb = SharedData.path("emd_3488/5me2.pdb") else { return nil }
        var p = SimulationParameters()
        p.voxelSize = 1.5
        p.size = 64
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        p.seed = 8
        return try! DatasetSimulator.make(p, model: try! AtomicModelFile.read(path: pdb))
    }()

    /// FSC between two maps on one grid.
    static func fsc(_ a: Volume, _ b: Volume) -> FSCCurve {
        FourierShells(grid: a.grid).fsc(FFT.forward(a), FFT.forward(b))
    }

    /// (a + b) / 2.
    static func average(_ a: Volume, _ b: Volume) -> Volume {
        var out = a
        out.voxels.withUnsafeMutableBufferPointer { o in b.voxels.withUnsafeBufferPointer { q in for i in 0..<o.count { o[i] = 0.5 * (o[i] + q[i]) } } }
        return out
    }
}

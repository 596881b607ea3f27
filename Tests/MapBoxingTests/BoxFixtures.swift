import Foundation
import MapbookCore
import MapModel
import ModelMaps
import Simulation

/// Maps and models for the boxing tests.
enum BoxFixtures {
    /// The built-in four-helix bundle (24 residues each), centred at `centre`.
    static func bundle(centre: SIMD3<Double>) -> AtomicModel {
        try! HelixBundle.make().translated(by: centre)
    }

    /// A model map of `model` on `grid` at 4 Å (the map the model "was built into").
    static func map(_ model: AtomicModel, grid: VoxelGrid) -> Volume {
        try! ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(resolution: 4))
    }

    /// The map–model correlation over the model's 3 Å mask: a real-space B = 20 model map
    /// against the map, on the map's own grid (what must not change when both are boxed). On
    /// coarse grids the blur and the mask grow with the voxel, so both span several voxels.
    static func maskCorrelation(_ map: Volume, _ model: AtomicModel) -> Double {
        let v = map.grid.voxelSize.max()
        var blurred = model
        for i in blurred.atoms.indices { blurred.atoms[i].bFactor = max(20, 8 * Double.pi * Double.pi * v * v / 4) }
        let modelMap = try! ModelMap.density(of: blurred, on: map.grid)
        let mask = ModelMask.binary(model, grid: map.grid, radius: max(3, 1.5 * v))
        return Volume.correlation(map, modelMap, mask: Volume(grid: map.grid, voxels: AlignedArray(mask.map { $0 ? Float(1) : 0 })))
    }

    /// Pseudo-atoms at the `count` densest voxels of `map` (carbon, one residue each), for
    /// maps that come without a model.
    static func pseudoModel(_ map: Volume, count: Int) -> AtomicModel {
        let g = map.grid
        let order = map.voxels.indices.sorted { map.voxels[$0] > map.voxels[$1] }.prefix(count)
        let atoms = order.enumerated().map { k, i -> Atom in
            let x = i % g.size.x, y = (i / g.size.x) % g.size.y, z = i / (g.size.x * g.size.y)
            let p = g.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * g.voxelSize
            return Atom(name: "C", element: .carbon, position: p, bFactor: 20, residueName: "UNK", residueNumber: k + 1, chainID: "A")
        }
        return AtomicModel(atoms: atoms)
    }
}

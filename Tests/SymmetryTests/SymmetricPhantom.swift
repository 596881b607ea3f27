import Foundation
import MapbookCore
import MapModel
import ModelMaps
import TestSupport
@testable import Symmetry

/// Symmetric test maps made from haemoglobin (PDB 5ME2): chain A, moved off the symmetry axes
/// and expanded by a point group about a box's symmetry centre, then turned into a model map.
enum SymmetricPhantom {
    /// 72³ voxels of 1.5 Å (108 Å): room for four copies of a 40 Å chain 20–25 Å from the centre.
    static let grid = VoxelGrid(cube: 72, voxel: 1.5)

    /// Chain A of 5ME2 (with its haem), or nil (with a printed reason) without the data.
    static let chainA: AtomicModel? = {
        guard let path = SharedData.path("emd_3488/5me2.pdb") else { return nil }
        let model = try! AtomicModelFile.read(path: path)
        return AtomicModel(atoms: model.atoms.filter { $0.chainID == "A" })
    }()

    /// Where each group's asymmetric unit sits, relative to the centre (Å): far enough from
    /// every symmetry axis that the copies barely touch.
    static func placement(_ group: PointGroup) -> SIMD3<Double> {
        switch group.family {
        case .dihedral: return SIMD3(14, 14, 12)
        default: return SIMD3(22, 0, 4)
        }
    }

    /// Chain A with its box centre at `centre` + the group's placement, expanded by `group`
    /// about `centre` (default: the grid's RELION centre).
    static func model(_ group: PointGroup, centre: SIMD3<Double>? = nil) -> AtomicModel? {
        guard let chain = chainA else { return nil }
        let c = centre ?? SymmetryCentre.box(grid)
        let unit = chain.translated(by: c + placement(group) - chain.boxCentre)
        return unit.symmetryExpanded(by: group, about: c)
    }

    /// The model map of `model` on `grid`, low-passed to `resolution` Å.
    static func map(_ model: AtomicModel, resolution: Double = 6) -> Volume {
        try! ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(resolution: resolution))
    }

    /// The flags of the voxels within `radius` voxels of the grid's symmetry centre: inside it
    /// every rotated copy of a voxel is inside the box too.
    static func sphere(_ grid: VoxelGrid, radius: Double) -> [Bool] {
        let c = SymmetryCentre.voxel(at: SymmetryCentre.box(grid), in: grid)
        var flags = [Bool](repeating: false, count: grid.count)
        for z in 0..<grid.size.z { for y in 0..<grid.size.y { for x in 0..<grid.size.x {
            let d = SIMD3(Double(x), Double(y), Double(z)) - c
            flags[grid.index(x, y, z)] = (d * d).sum() <= radius * radius
        } } }
        return flags
    }

    /// Pearson correlation of two maps over the flagged voxels.
    static func correlation(_ a: Volume, _ b: Volume, where flags: [Bool]) -> Double {
        var x: [Float] = [], y: [Float] = []
        for i in 0..<a.grid.count where flags[i] { x.append(a.voxels[i]); y.append(b.voxels[i]) }
        return SymmetryScore.pearson(x, y)
    }
}

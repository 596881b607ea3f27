import Foundation
import MapbookCore
import MapModel

/// Whether a model and a map share a frame: a model none of whose atoms lies in the map's box
/// (a model in another frame, or a map boxed elsewhere) would give an empty model map and
/// undefined correlations, so it is refused with both extents in the message.
public enum ModelPlacement {
    /// The number of atoms of `model` inside `grid`'s box (voxel centres ± half a voxel).
    public static func atomsInside(_ model: AtomicModel, grid: VoxelGrid) -> Int {
        let low = grid.firstVoxelPosition - grid.voxelSize / 2
        let high = low + grid.boxLength
        var inside = 0
        for atom in model.atoms where all(atom.position .>= low) && all(atom.position .< high) { inside += 1 }
        return inside
    }

    /// Throws, naming both extents, when `model` has no atom inside `grid`'s box.
    public static func requireOverlap(_ model: AtomicModel, grid: VoxelGrid) throws {
        guard !model.atoms.isEmpty else { throw MapbookError("the model has no atoms") }
        guard atomsInside(model, grid: grid) == 0 else { return }
        let b = model.bounds
        let low = grid.firstVoxelPosition - grid.voxelSize / 2
        let high = low + grid.boxLength
        func span(_ a: SIMD3<Double>, _ z: SIMD3<Double>) -> String {
            String(format: "x %.1f…%.1f, y %.1f…%.1f, z %.1f…%.1f Å", a.x, z.x, a.y, z.y, a.z, z.z)
        }
        throw MapbookError("no atom of the model lies inside the map's box: the atoms span \(span(b.min, b.max)), the box \(span(low, high)); the model and the map are in different frames (check the map's origin)")
    }
}

import Foundation
import MapbookCore
import MapModel

/// How a mask is made around an atomic model.
public struct ModelMaskParameters: DeclaredParameters, Equatable {
    /// Voxels within this distance of an atom centre are inside (Å).
    @Parameter("radius", .positive, unit: "Å", "radius around each atom that is inside the mask")
    public var radius: Double = 3
    /// Width of the raised-cosine soft edge (Å).
    @Parameter("edge", .nonNegative, unit: "Å", "width of the raised-cosine soft edge")
    public var edge: Double = 3

    /// 3 Å around each atom, a 3 Å edge.
    public init() {}
}

/// Masks around atomic models: every voxel within a radius of an atom, with a raised-cosine
/// soft edge (the same edge as RELION-style map masks, `SoftMask.fromBinary`).
public enum ModelMask {
    /// Voxels whose centre lies within `radius` Å of an atom centre (x fastest).
    public static func binary(_ model: AtomicModel, grid: VoxelGrid, radius: Double) -> [Bool] {
        var inside = [Bool](repeating: false, count: grid.count)
        let n = grid.size, v = grid.voxelSize
        let first = grid.firstVoxelPosition
        let r2 = radius * radius
        inside.withUnsafeMutableBufferPointer { out in
            // z-slabs, one per worker: each marks only its own planes.
            Parallelism.forEachRange(n.z) { _, planes in
                for atom in model.atoms {
                    let u = (atom.position - first) / v
                    let z0 = max(planes.lowerBound, Int((u.z - radius / v.z).rounded(.up)))
                    let z1 = min(planes.upperBound - 1, Int((u.z + radius / v.z).rounded(.down)))
                    guard z0 <= z1 else { continue }
                    let y0 = max(0, Int((u.y - radius / v.y).rounded(.up))), y1 = min(n.y - 1, Int((u.y + radius / v.y).rounded(.down)))
                    let x0 = max(0, Int((u.x - radius / v.x).rounded(.up))), x1 = min(n.x - 1, Int((u.x + radius / v.x).rounded(.down)))
                    guard y0 <= y1, x0 <= x1 else { continue }
                    for z in z0...z1 {
                        let dz = (Double(z) - u.z) * v.z
                        for y in y0...y1 {
                            let dy = (Double(y) - u.y) * v.y
                            let row = n.x * (y + n.y * z)
                            for x in x0...x1 {
                                let dx = (Double(x) - u.x) * v.x
                                if dx * dx + dy * dy + dz * dz <= r2 { out[row + x] = true }
                            }
                        }
                    }
                }
            }
        }
        return inside
    }

    /// A soft mask made with `parameters` (checked).
    public static func soft(_ model: AtomicModel, grid: VoxelGrid, parameters: ModelMaskParameters) throws -> Volume {
        try parameters.validate()
        return soft(model, grid: grid, radius: parameters.radius, edge: parameters.edge)
    }

    /// A soft mask: 1 within `radius` Å of an atom, falling to exactly 0 over a raised-cosine
    /// edge `edge` Å wide. Distances on the grid are counted in voxels of the grid's mean edge,
    /// so an anisotropic grid gets a slightly anisotropic edge.
    public static func soft(_ model: AtomicModel, grid: VoxelGrid, radius: Double = ModelMaskParameters().radius,
                            edge: Double = ModelMaskParameters().edge) -> Volume {
        let voxel = (grid.voxelSize.x + grid.voxelSize.y + grid.voxelSize.z) / 3
        return SoftMask.fromBinary(binary(model, grid: grid, radius: radius), grid: grid,
                                   extendVoxels: 0, softEdgeVoxels: edge / voxel)
    }
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Where the molecule is, at low resolution: cctbx's low-resolution mask
/// (`get_solvent_fraction_from_low_res_mask`). The local variance of the map — (ρ − mean)²
/// averaged over a sphere of radius 2 × resolution — is high over the molecule and low in
/// solvent; voxels above 5 % of its maximum are molecule.
///
/// It gives the molecular volume when nothing else does, the share of the molecule inside a
/// scoring box, the automatic box, and the boxes of local sharpening.
public struct MoleculeEnvelope: Sendable {
    /// The smoothed local variance.
    public var localVariance: Volume
    /// Whether each voxel is inside the envelope.
    public var inside: [Bool]
    /// The threshold on `localVariance` (5 % of its maximum).
    public var threshold: Double
    /// Radius of the averaging sphere (Å).
    public var radius: Double

    /// Share of the local variance's maximum that counts as molecule (cctbx
    /// `fraction_of_max_mask_threshold`).
    public static let fractionOfMax = 0.05

    /// The envelope of `map` for a map of `resolution` Å.
    public static func of(_ map: Volume, resolution: Double) -> MoleculeEnvelope {
        let radius = 2 * resolution
        let mean = Float(map.statistics.mean)
        var squares = map
        squares.voxels.withUnsafeMutableBufferPointer { v in
            Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, r in
                for i in r { let d = v[i] - mean; v[i] = d * d }
            }
        }
        let shells = FourierShells(grid: map.grid)
        var spectrum = FFT.forward(consume squares)
        // The transform of a unit-mean ball of radius R: 3(sin w − w cos w)/w³, w = 2π s R.
        RadialScaling(shells: shells, cutoff: nil) { s in
            let w = 2 * Double.pi * s * radius
            return w < 1e-4 ? 1 : 3 * (sin(w) - w * cos(w)) / (w * w * w)
        }.apply(to: &spectrum, shells: shells)
        let local = FFT.backward(consume spectrum)
        let threshold = Double(local.statistics.max) * fractionOfMax
        let t = Float(threshold)
        let inside = local.voxels.withUnsafeBufferPointer { v in v.map { $0 > t } }
        return MoleculeEnvelope(localVariance: local, inside: inside, threshold: threshold, radius: radius)
    }

    /// Voxels inside the envelope.
    public var insideCount: Int { inside.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// A soft mask of the molecule: the voxels of highest local variance that fill `volume` Å³
    /// (the whole envelope when it holds less), with a raised-cosine edge `softEdge` Å wide
    /// outwards. Tighter than the envelope, whose 5 %-of-maximum threshold takes in much
    /// solvent: half-map statistics measured in it are the molecule's, not the solvent noise's.
    public func moleculeMask(volume: Double, softEdge: Double) -> Volume {
        let grid = localVariance.grid
        let voxel = grid.voxelSize.x * grid.voxelSize.y * grid.voxelSize.z
        let wanted = min(insideCount, max(1, Int((volume / voxel).rounded())))
        let threshold = localVariance.voxels.withUnsafeBufferPointer { Selection.kthSmallest(of: $0, grid.count - wanted) }
        let binary = localVariance.voxels.withUnsafeBufferPointer { v in v.map { $0 > threshold } }
        return SoftMask.fromBinary(binary, grid: grid, extendVoxels: 0, softEdgeVoxels: softEdge / grid.voxelSize.max())
    }

    /// Voxels inside the envelope within `box`.
    public func insideCount(in box: SubBox) -> Int {
        let n = localVariance.grid.size
        var count = 0
        for z in box.start.z..<(box.start.z + box.size.z) {
            for y in box.start.y..<(box.start.y + box.size.y) {
                let row = n.x * (y + n.y * z)
                for x in box.start.x..<(box.start.x + box.size.x) where inside[row + x] { count += 1 }
            }
        }
        return count
    }
}

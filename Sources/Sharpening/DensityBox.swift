import Foundation
import MapbookCore
import MapModel

/// The block a sharpening search is scored on: the box of density.
extension SubBox {
    /// The box of density (cctbx `map_box density_select`, adapted): along each axis, the
    /// maximum of every slab of the molecule's local variance, less the mean of the six face
    /// slabs' maxima; the range where that profile exceeds 5 % of its peak, widened by a
    /// 3 Å cushion, then grown to FFT-friendly edge lengths. The profile is taken from the
    /// smoothed local variance rather than the raw map so that noise peaks in the solvent do not
    /// stretch the box. Nil when the box would hold more than half the map: the whole map is
    /// scored then, as phenix does (`max_box_fraction`).
    public static func aroundDensity(_ envelope: MoleculeEnvelope, cushion: Double = 3, maxFraction: Double = 0.5) -> SubBox? {
        let map = envelope.localVariance
        let n = map.grid.size
        var profiles = [[Float]](repeating: [], count: 3)
        for a in 0..<3 { profiles[a] = [Float](repeating: -.infinity, count: n[a]) }
        map.voxels.withUnsafeBufferPointer { v in
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = n.x * (y + n.y * z)
                    var rowMax = -Float.infinity
                    for x in 0..<n.x {
                        let value = v[row + x]
                        if value > profiles[0][x] { profiles[0][x] = value }
                        rowMax = max(rowMax, value)
                    }
                    profiles[1][y] = max(profiles[1][y], rowMax)
                    profiles[2][z] = max(profiles[2][z], rowMax)
                }
            }
        }
        let edge = (0..<3).reduce(Float(0)) { $0 + profiles[$1][0] + profiles[$1][n[$1] - 1] } / 6
        var start = SIMD3<Int>.zero, size = n
        for a in 0..<3 {
            let p = profiles[a].map { $0 - edge }
            guard let peak = p.max(), peak > 0 else { return nil }
            let above = p.indices.filter { p[$0] > 0.05 * peak }
            let pad = Int((cushion / map.grid.voxelSize[a]).rounded(.up))
            let lo = max(0, above.first! - pad), hi = min(n[a] - 1, above.last! + pad)
            let length = min(n[a], fftFriendlyLength(atLeast: hi - lo + 1))
            start[a] = max(0, min(lo - (length - (hi - lo + 1)) / 2, n[a] - length))
            size[a] = length
        }
        let box = SubBox(start: start, size: size)
        return Double(box.count) > maxFraction * Double(map.grid.count) ? nil : box
    }
}

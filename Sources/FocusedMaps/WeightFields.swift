import Foundation
import MapbookCore
import MapModel

/// Per-residue weights spread into space: for each map, A(x) = Σ_r q(r)·exp(−|x − c_r|²/2σ²)
/// over its residues r (centres c_r, scores q), cut at 3σ. Each worker fills its own z-planes
/// and adds the residues in order, so the result does not depend on the thread count.
enum WeightFields {
    /// Adds the field of residues at `centres` with scores `scores` into `o` (on `grid`).
    static func add(centres: [SIMD3<Double>], scores: [Double], grid: VoxelGrid, sigma: Double, into o: UnsafeMutableBufferPointer<Float>) {
        let n = grid.size, first = grid.firstVoxelPosition, v = grid.voxelSize
        let reach = 3 * sigma
        let k = 1 / (2 * sigma * sigma)
        do {
            Parallelism.forEachRange(n.z) { _, planes in
                var ex: [Float] = [], ey: [Float] = []
                for (c, q) in zip(centres, scores) where q > 0 {
                    let u = (c - first) / v
                    let r = reach / v
                    let x0 = max(0, Int((u.x - r.x).rounded(.up))), x1 = min(n.x - 1, Int((u.x + r.x).rounded(.down)))
                    let y0 = max(0, Int((u.y - r.y).rounded(.up))), y1 = min(n.y - 1, Int((u.y + r.y).rounded(.down)))
                    let z0 = max(planes.lowerBound, Int((u.z - r.z).rounded(.up))), z1 = min(planes.upperBound - 1, Int((u.z + r.z).rounded(.down)))
                    guard x0 <= x1, y0 <= y1, z0 <= z1 else { continue }
                    ex = (x0...x1).map { let d = (Double($0) - u.x) * v.x; return Float(exp(-k * d * d)) }
                    ey = (y0...y1).map { let d = (Double($0) - u.y) * v.y; return Float(exp(-k * d * d)) }
                    for z in z0...z1 {
                        let dz = (Double(z) - u.z) * v.z
                        let wz = Float(q * exp(-k * dz * dz))
                        for y in y0...y1 {
                            let wyz = wz * ey[y - y0]
                            let row = n.x * (y + n.y * z)
                            for x in x0...x1 { o[row + x] += wyz * ex[x - x0] }
                        }
                    }
                }
            }
        }
    }
}

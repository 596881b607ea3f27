import MapbookCore

extension Volume {
    /// The Pearson correlation of two maps on the same grid, optionally weighted by a mask
    /// (each voxel counts with the mask's value; the means are the weighted means inside).
    /// Sums run in Double over each z-plane and are added up in plane order, so the result does
    /// not depend on the thread count. Returns NaN when either map is constant where it counts.
    public static func correlation(_ a: Volume, _ b: Volume, mask: Volume? = nil) -> Double {
        precondition(a.grid.size == b.grid.size && (mask?.grid.size ?? a.grid.size) == a.grid.size, "maps differ in size")
        let n = a.grid.size
        let plane = n.x * n.y
        // Per plane: Σw, Σw·a, Σw·b, Σw·a², Σw·b², Σw·a·b.
        var sums = [Double](repeating: 0, count: 6 * n.z)
        a.voxels.withUnsafeBufferPointer { pa in
            b.voxels.withUnsafeBufferPointer { pb in
                let weights = mask?.voxels
                sums.withUnsafeMutableBufferPointer { out in
                    Parallelism.forEachRange(n.z) { _, zr in
                        for z in zr {
                            var s = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
                            for i in (z * plane)..<((z + 1) * plane) {
                                let w = weights.map { Double($0[i]) } ?? 1
                                if w == 0 { continue }
                                let x = Double(pa[i]), y = Double(pb[i])
                                s.0 += w; s.1 += w * x; s.2 += w * y
                                s.3 += w * x * x; s.4 += w * y * y; s.5 += w * x * y
                            }
                            out[6 * z] = s.0; out[6 * z + 1] = s.1; out[6 * z + 2] = s.2
                            out[6 * z + 3] = s.3; out[6 * z + 4] = s.4; out[6 * z + 5] = s.5
                        }
                    }
                }
            }
        }
        var t = [Double](repeating: 0, count: 6)
        for z in 0..<n.z { for j in 0..<6 { t[j] += sums[6 * z + j] } }
        guard t[0] > 0 else { return .nan }
        let ma = t[1] / t[0], mb = t[2] / t[0]
        let va = t[3] / t[0] - ma * ma, vb = t[4] / t[0] - mb * mb
        let cov = t[5] / t[0] - ma * mb
        guard va > 0, vb > 0 else { return .nan }
        return cov / (va * vb).squareRoot()
    }
}

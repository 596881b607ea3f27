/// Pearson's correlation of two maps on one grid, over all voxels or over selected ones: what
/// comparison tables and truth scores report. Sums in Double.
extension Volume {
    /// The correlation with `other` over the voxels flagged in `selected` (all voxels when
    /// nil); NaN with fewer than 2 voxels or when either map is constant there.
    public func correlation(with other: Volume, where selected: [Bool]? = nil) -> Double {
        precondition(other.voxels.count == voxels.count, "maps of different sizes")
        var n = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        voxels.withUnsafeBufferPointer { x in
            other.voxels.withUnsafeBufferPointer { y in
                for i in 0..<x.count where selected?[i] ?? true {
                    let u = Double(x[i]), v = Double(y[i])
                    n += 1; sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v
                }
            }
        }
        guard n >= 2 else { return .nan }
        let cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n
        guard va > 0, vb > 0 else { return .nan }
        return cov / (va * vb).squareRoot()
    }
}

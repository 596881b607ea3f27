import MapbookCore

/// Sums over voxels in Double that come out the same to the last bit on any thread count:
/// fixed blocks of 2¹⁶ voxels, each summed by one worker, added up in block order. The stop
/// rule and λ depend on these norms, so identical inputs must give identical sums.
enum BlockSums {
    static let block = 1 << 16

    /// Σ f(i) over 0 ..< count.
    static func sum(count: Int, _ term: (Int) -> Double) -> Double {
        let blocks = (count + block - 1) / block
        var parts = [Double](repeating: 0, count: blocks)
        parts.withUnsafeMutableBufferPointer { out in
            Parallelism.forEachRange(blocks) { _, range in
                for c in range {
                    var s = 0.0
                    for i in (c * block)..<min(count, (c + 1) * block) { s += term(i) }
                    out[c] = s
                }
            }
        }
        return parts.reduce(0, +)
    }

    /// ‖values‖² in Double.
    static func squaredNorm(_ values: AlignedArray<Float>) -> Double {
        values.withUnsafeBufferPointer { v in
            let blocks = (v.count + block - 1) / block
            var parts = [Double](repeating: 0, count: blocks)
            parts.withUnsafeMutableBufferPointer { out in
                Parallelism.forEachRange(blocks) { _, range in
                    for c in range {
                        // Float partial sums over 1024 voxels, folded into Double: accurate and
                        // vectorisable.
                        var s = 0.0
                        var i = c * block
                        let end = min(v.count, (c + 1) * block)
                        while i < end {
                            let stop = min(end, i + 1024)
                            var partial: Float = 0
                            while i < stop { partial += v[i] * v[i]; i += 1 }
                            s += Double(partial)
                        }
                        out[c] = s
                    }
                }
            }
            return parts.reduce(0, +)
        }
    }
}

import MapbookCore

/// Sums over voxels in Double that come out the same to the last bit on any thread count
/// (`Parallelism.blockPartials`). The stop rule and λ depend on these norms, so identical
/// inputs must give identical sums.
enum BlockSums {
    /// Σ f(i) over 0 ..< count.
    static func sum(count: Int, _ term: (Int) -> Double) -> Double {
        Parallelism.blockPartials(count, empty: 0.0) { range in
            var s = 0.0
            for i in range { s += term(i) }
            return s
        }.reduce(0, +)
    }

    /// ‖values‖² in Double.
    static func squaredNorm(_ values: AlignedArray<Float>) -> Double {
        values.withUnsafeBufferPointer { v in
            Parallelism.blockPartials(v.count, empty: 0.0) { range in
                // Float partial sums over 1024 voxels, folded into Double: accurate and
                // vectorisable.
                var s = 0.0
                var i = range.lowerBound
                while i < range.upperBound {
                    let stop = min(range.upperBound, i + 1024)
                    var partial: Float = 0
                    while i < stop { partial += v[i] * v[i]; i += 1 }
                    s += Double(partial)
                }
                return s
            }.reduce(0, +)
        }
    }
}

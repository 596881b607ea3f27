/// Order statistics without a full sort.
public enum Selection {
    /// The element that would stand at position `k` (0-based) if `values` were sorted
    /// ascending. Reorders `values`. Expected O(n) (Hoare's quickselect, median-of-three pivot).
    public static func kthSmallest(_ values: inout [Float], _ k: Int) -> Float {
        precondition(k >= 0 && k < values.count, "order statistic out of range")
        return values.withUnsafeMutableBufferPointer { a in
            var lo = 0, hi = a.count - 1
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                // Median of three as pivot guards against sorted and constant input.
                if a[mid] < a[lo] { a.swapAt(mid, lo) }
                if a[hi] < a[lo] { a.swapAt(hi, lo) }
                if a[hi] < a[mid] { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while a[i] < pivot { i += 1 }
                    while a[j] > pivot { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
            }
            return a[k]
        }
    }

    /// The `q`-quantile (0 ... 1) of `values` as the element at floor(q·n), clamped (the
    /// convention xmipp's MonoRes uses for its noise threshold). May reorder `values`: a small
    /// array is partitioned by quickselect, a large one is read by parallel radix selection.
    public static func quantile(_ values: inout [Float], _ q: Double) -> Float {
        let k = min(values.count - 1, max(0, Int((q * Double(values.count)).rounded(.down))))
        if values.count >= radixMinimumCount {
            return values.withUnsafeBufferPointer { kthSmallest(of: $0, k) }
        }
        return kthSmallest(&values, k)
    }

    /// The median (for an even count, the mean of the two middle values). Reorders `values`.
    public static func median(_ values: inout [Float]) -> Float {
        let n = values.count
        precondition(n > 0, "median of nothing")
        let upper = kthSmallest(&values, n / 2)
        if n % 2 == 1 { return upper }
        // The lower middle is the largest of the first n/2 elements after selection.
        var lower = -Float.infinity
        for i in 0..<(n / 2) { lower = max(lower, values[i]) }
        return 0.5 * (lower + upper)
    }
}

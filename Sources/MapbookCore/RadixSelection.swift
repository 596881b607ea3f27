/// Order statistics of large arrays by radix selection, in parallel.
///
/// Quickselect is sequential and moves the data; MonoRes takes a quantile of millions of noise
/// amplitudes at every trial resolution, and on two cores that one thread was a tenth of the
/// sweep. Radix selection reads the values twice, in parallel chunks, and moves nothing: a
/// histogram of the top 16 bits of each value's order key finds the bucket holding the k-th
/// smallest, and a histogram of the low 16 bits within that bucket finds the value itself.
/// The result is the same element quickselect returns.
extension Selection {
    /// Arrays shorter than this are left to quickselect: two 65 536-bucket histograms per
    /// chunk cost more than selecting in place.
    static let radixMinimumCount = 1 << 18

    /// The element that would stand at position `k` (0-based) if `values` were sorted
    /// ascending, without reordering them. No value may be NaN (NaN has no place in an order).
    public static func kthSmallest(of values: UnsafeBufferPointer<Float>, _ k: Int) -> Float {
        precondition(k >= 0 && k < values.count, "order statistic out of range")
        let top = histogram(values, within: nil)
        let (bucket, below) = locate(top, k)
        let low = histogram(values, within: bucket)
        let (rest, _) = locate(low, k - below)
        return value(ofKey: UInt32(bucket) << 16 | UInt32(rest))
    }

    /// An unsigned key that orders like the float: the sign bit flipped for positive values,
    /// every bit flipped for negative ones (−0 sorts just below +0).
    @inline(__always)
    static func orderKey(_ x: Float) -> UInt32 {
        let b = x.bitPattern
        return b & 0x8000_0000 == 0 ? b | 0x8000_0000 : ~b
    }

    /// The float whose order key is `key`.
    static func value(ofKey key: UInt32) -> Float {
        Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }

    /// Counts of the keys of `values` in 65 536 buckets, summed over parallel chunks: by their
    /// top 16 bits, or (with `within`) by their low 16 bits among the keys whose top 16 bits
    /// are `within`.
    private static func histogram(_ values: UnsafeBufferPointer<Float>, within: Int?) -> [Int] {
        let buckets = 1 << 16
        let chunks = Parallelism.chunkCount(values.count, minimumPerChunk: radixMinimumCount / 2)
        var counts = [UInt32](repeating: 0, count: buckets * chunks)
        counts.withUnsafeMutableBufferPointer { c in
            Parallelism.forEachRange(values.count, minimumPerChunk: radixMinimumCount / 2) { chunk, range in
                let tally = c.baseAddress! + chunk * buckets
                if let within {
                    let top = UInt32(within)
                    for i in range {
                        let key = orderKey(values[i])
                        if key >> 16 == top { tally[Int(key & 0xFFFF)] &+= 1 }
                    }
                } else {
                    for i in range { tally[Int(orderKey(values[i]) >> 16)] &+= 1 }
                }
            }
        }
        var total = [Int](repeating: 0, count: buckets)
        for chunk in 0..<chunks { for b in 0..<buckets { total[b] += Int(counts[chunk * buckets + b]) } }
        return total
    }

    /// The bucket holding the k-th smallest counted value, and how many values lie in the
    /// buckets below it.
    private static func locate(_ counts: [Int], _ k: Int) -> (bucket: Int, below: Int) {
        var below = 0
        for (b, n) in counts.enumerated() {
            if k < below + n { return (b, below) }
            below += n
        }
        preconditionFailure("order statistic beyond the counted values")
    }
}

import Foundation

/// The connected regions of the voxels above a threshold: face neighbours (6-connectivity)
/// join, edge and corner neighbours do not, and nothing wraps around the box (a cryo-EM map is
/// not periodic), as cctbx's `connectivity` is used for maps.
///
/// Two passes over the box (union–find on provisional labels, then a relabelling), O(N).
public struct ConnectedRegions: Sendable {
    /// Region of every voxel (0 ..< `count`), or −1 for voxels at or below the threshold.
    public private(set) var labels: [Int32]
    /// Voxels in each region.
    public private(set) var sizes: [Int]

    /// Number of regions.
    public var count: Int { sizes.count }

    /// Labels the voxels of `values` (x fastest, box `size`) above `threshold`.
    public init(_ values: UnsafeBufferPointer<Float>, size: SIMD3<Int>, above threshold: Float) {
        var labels = [Int32](repeating: -1, count: values.count)
        sizes = []
        self.labels = []
        Self.label(values, size: size, threshold: threshold, labels: &labels, sizes: &sizes)
        self.labels = labels
    }

    /// Labels into caller-owned storage (reused across trials). `labels` must hold one entry per
    /// voxel; `sizes` is replaced.
    static func label(_ values: UnsafeBufferPointer<Float>, size: SIMD3<Int>, threshold: Float,
                      labels: inout [Int32], sizes: inout [Int]) {
        let (nx, ny, nz) = (size.x, size.y, size.z)
        let plane = nx * ny
        precondition(values.count == plane * nz && labels.count == values.count, "buffer sizes differ from the box")
        var parent: [Int32] = []
        parent.reserveCapacity(1024)

        func find(_ a: Int32) -> Int32 {
            var a = a
            while parent[Int(a)] != a {
                parent[Int(a)] = parent[Int(parent[Int(a)])]   // path halving
                a = parent[Int(a)]
            }
            return a
        }
        func union(_ a: Int32, _ b: Int32) -> Int32 {
            let ra = find(a), rb = find(b)
            if ra == rb { return ra }
            // The smaller root survives, so roots stay in first-seen order.
            if ra < rb { parent[Int(rb)] = ra; return ra }
            parent[Int(ra)] = rb
            return rb
        }

        labels.withUnsafeMutableBufferPointer { lab in
            for z in 0..<nz {
                for y in 0..<ny {
                    let row = nx * y + plane * z
                    for x in 0..<nx {
                        let i = row + x
                        guard values[i] > threshold else { lab[i] = -1; continue }
                        var l: Int32 = -1
                        if x > 0, lab[i - 1] >= 0 { l = lab[i - 1] }
                        if y > 0, lab[i - nx] >= 0 {
                            let m = lab[i - nx]
                            l = l < 0 ? m : (m == l ? l : union(l, m))
                        }
                        if z > 0, lab[i - plane] >= 0 {
                            let m = lab[i - plane]
                            l = l < 0 ? m : (m == l ? l : union(l, m))
                        }
                        if l < 0 {
                            l = Int32(parent.count)
                            parent.append(l)
                        }
                        lab[i] = l
                    }
                }
            }
            // Compact the roots to 0 ..< regions and count the voxels of each.
            var compact = [Int32](repeating: -1, count: parent.count)
            var counts: [Int] = []
            for p in 0..<parent.count {
                let r = Int(find(Int32(p)))
                if compact[r] < 0 { compact[r] = Int32(counts.count); counts.append(0) }
                compact[p] = compact[r]
            }
            for i in 0..<lab.count where lab[i] >= 0 {
                let r = compact[Int(lab[i])]
                lab[i] = r
                counts[Int(r)] += 1
            }
            sizes = counts
        }
    }
}

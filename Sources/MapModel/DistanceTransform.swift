import MapbookCore

/// Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012), in voxel
/// units: for every voxel, the squared distance to the nearest voxel of a binary set.
///
/// Separable: one 1-D lower-envelope pass per axis, O(N) overall. This gives the same values as
/// RELION's brute-force window search in a fraction of the time.
public enum DistanceTransform {
    /// Squared distance from each voxel to the nearest voxel where `inside` is true.
    /// Voxels inside get 0; if no voxel is inside, every voxel gets `Float.infinity`.
    public static func squaredDistance(size: SIMD3<Int>, inside: (Int) -> Bool) -> AlignedArray<Float> {
        let count = size.x * size.y * size.z
        var d = AlignedArray<Float>(unsafeUninitializedCount: count) { buf in
            for i in 0..<count { buf.initializeElement(at: i, to: inside(i) ? 0 : .infinity) }
        }
        d.withUnsafeMutableBufferPointer { buf in
            pass(buf, n: size.x, stride: 1, lines: size.y * size.z) { line in (line % size.y) * size.x + (line / size.y) * size.x * size.y }
            pass(buf, n: size.y, stride: size.x, lines: size.x * size.z) { line in (line % size.x) + (line / size.x) * size.x * size.y }
            pass(buf, n: size.z, stride: size.x * size.y, lines: size.x * size.y) { line in line }
        }
        return d
    }

    /// Runs the 1-D transform along every line of one axis, lines spread over the workers.
    private static func pass(_ buf: UnsafeMutableBufferPointer<Float>, n: Int, stride: Int, lines: Int, start: @escaping (Int) -> Int) {
        Parallelism.forEachRange(lines) { _, range in
            var f = [Float](repeating: 0, count: n)
            var out = [Float](repeating: 0, count: n)
            var v = [Int](repeating: 0, count: n)
            var z = [Float](repeating: 0, count: n + 1)
            for line in range {
                let s = start(line)
                for i in 0..<n { f[i] = buf[s + i * stride] }
                transform1D(f, &out, &v, &z)
                for i in 0..<n { buf[s + i * stride] = out[i] }
            }
        }
    }

    /// 1-D squared distance transform of the sampled function f (lower envelope of parabolas).
    static func transform1D(_ f: [Float], _ d: inout [Float], _ v: inout [Int], _ z: inout [Float]) {
        let n = f.count
        var k = -1
        for q in 0..<n where f[q].isFinite {
            if k < 0 {
                k = 0; v[0] = q; z[0] = -.infinity; z[1] = .infinity
                continue
            }
            var s: Float
            repeat {
                let p = v[k]
                s = ((f[q] + Float(q * q)) - (f[p] + Float(p * p))) / Float(2 * (q - p))
                if s <= z[k] { k -= 1 } else { break }
            } while k >= 0
            k += 1
            v[k] = q; z[k] = k == 0 ? -.infinity : s; z[k + 1] = .infinity
        }
        if k < 0 {
            for q in 0..<n { d[q] = .infinity }
            return
        }
        var j = 0
        for q in 0..<n {
            while z[j + 1] < Float(q) { j += 1 }
            let dq = Float(q - v[j])
            d[q] = dq * dq + f[v[j]]
        }
    }
}

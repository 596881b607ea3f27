import Foundation
import MapbookCore
import MapModel
import FourierEngine

/// Test phantoms with a known local resolution (the MonoRes behavioural checks of the spec):
/// point atoms blurred to σ = 1 Å inside a sphere, hard-low-passed differently by region.
enum Phantom {
    static func atoms(n: Int, voxel: Double, count: Int, radius: Double, seed: UInt64) -> Volume {
        let grid = VoxelGrid(cube: n, voxel: voxel)
        var rng = SeededGenerator(seed: seed)
        var v = Volume(grid: grid)
        let c = Double(n / 2)
        var placed = 0
        while placed < count {
            let p = SIMD3(rng.nextUnit(), rng.nextUnit(), rng.nextUnit()) * 2 - 1
            guard (p * p).sum() <= 1 else { continue }
            let q = SIMD3(repeating: c) + p * radius / voxel
            let i = SIMD3(Int(q.x.rounded()), Int(q.y.rounded()), Int(q.z.rounded()))
            v[i.x, i.y, i.z] += 1
            placed += 1
        }
        // Gaussian atoms of σ = 1 Å: transfer exp(−2π²σ²s²) = exp(−B s²/4) with B = 8π².
        var f = FFT.forward(v)
        FourierShells(grid: grid).apply(SpectralFilter(bFactor: 8 * .pi * .pi), to: &f)
        return FFT.backward(f)
    }

    /// `map` with every coefficient finer than `resolution` Å removed.
    static func hardLowPass(_ map: Volume, _ resolution: Double) -> Volume {
        var f = FFT.forward(map)
        FourierShells(grid: map.grid).apply(SpectralFilter(lowPass: resolution, lowPassEdgeShells: 1e-6), to: &f)
        return FFT.backward(f)
    }

    static func sphereMask(_ grid: VoxelGrid, radiusVoxels: Double) -> Volume {
        let c = Double(grid.size.x / 2)
        return Volume(grid: grid) { x, y, z in
            let d = SIMD3(Double(x), Double(y), Double(z)) - SIMD3(repeating: c)
            return (d * d).sum() <= radiusVoxels * radiusVoxels ? 1 : 0
        }
    }

    /// Standard deviation of `map` inside `mask`.
    static func sd(_ map: Volume, inside mask: Volume) -> Double {
        var s = 0.0, s2 = 0.0, n = 0.0
        for i in 0..<map.grid.count where mask.voxels[i] > 0.5 {
            let v = Double(map.voxels[i]); s += v; s2 += v * v; n += 1
        }
        return (s2 / n - (s / n) * (s / n)).squareRoot()
    }

    static func addNoise(_ map: Volume, sd: Double, seed: UInt64) -> Volume {
        var rng = SeededGenerator(seed: seed)
        var out = map
        out.voxels.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count { v[i] += Float(sd * rng.nextGaussian()) }
        }
        return out
    }

    /// Blend of maps by a per-voxel weight in [0, 1]: (1 − w)·a + w·b.
    static func blend(_ a: Volume, _ b: Volume, weight: (Int, Int, Int) -> Double) -> Volume {
        Volume(grid: a.grid) { x, y, z in
            let w = weight(x, y, z)
            return Float((1 - w) * Double(a[x, y, z]) + w * Double(b[x, y, z]))
        }
    }
}

/// Spearman rank correlation.
func spearman(_ a: [Double], _ b: [Double]) -> Double {
    func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var r = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let mean = Double(i + j) / 2
            for k in i...j { r[order[k]] = mean }
            i = j + 1
        }
        return r
    }
    let ra = ranks(a), rb = ranks(b)
    let n = Double(a.count)
    let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in 0..<a.count { sab += (ra[i] - ma) * (rb[i] - mb); saa += (ra[i] - ma) * (ra[i] - ma); sbb += (rb[i] - mb) * (rb[i] - mb) }
    return sab / (saa * sbb).squareRoot()
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel
import LocalSharpening

/// Small maps and measurements shared by the LocalDeblur checks.
enum Maps {
    /// White Gaussian noise of standard deviation `sd`.
    static func noise(_ grid: VoxelGrid, sd: Double = 1, seed: UInt64) -> Volume {
        var rng = SeededGenerator(seed: seed)
        return Volume(grid: grid) { _, _, _ in Float(sd * rng.nextGaussian()) }
    }

    /// A resolution map of `rho` Å inside a sphere of `radius` voxels about the box centre, 0
    /// outside; `rho` may vary with position.
    static func sphere(_ grid: VoxelGrid, radius: Double, rho: (Int, Int, Int) -> Double) -> Volume {
        let c = SIMD3<Double>(Double(grid.size.x / 2), Double(grid.size.y / 2), Double(grid.size.z / 2))
        return Volume(grid: grid) { x, y, z in
            let d = SIMD3(Double(x), Double(y), Double(z)) - c
            return (d * d).sum() <= radius * radius ? Float(rho(x, y, z)) : 0
        }
    }

    static func prepared(_ resolution: Volume, detectBackground: Bool = true) throws -> PreparedResolutionMap {
        var w: [String] = []
        return try ResolutionMapPreparation.prepare(resolution, for: resolution.grid, detectBackground: detectBackground, warnings: &w)
    }

    /// Σ a·b in Double.
    static func dot(_ a: Volume, _ b: Volume) -> Double {
        var s = 0.0
        for i in 0..<a.grid.count { s += Double(a.voxels[i]) * Double(b.voxels[i]) }
        return s
    }

    /// Largest |a − b| relative to the largest |b|.
    static func relativeMaxDifference(_ a: Volume, _ b: Volume) -> Double {
        var d = 0.0, m = 0.0
        for i in 0..<a.grid.count { d = max(d, abs(Double(a.voxels[i]) - Double(b.voxels[i]))); m = max(m, abs(Double(b.voxels[i]))) }
        return m > 0 ? d / m : d
    }

    /// `map` band-passed to frequencies between 1/`low` and 1/`high` Å⁻¹ (hard edges).
    static func bandPass(_ map: Volume, low: Double, high: Double) -> Volume {
        var f = FFT.forward(map)
        let shells = FourierShells(grid: map.grid)
        let n = map.grid.size, hCount = n.x / 2 + 1
        for l in 0..<n.z { for k in 0..<n.y { for h in 0..<hCount {
            let s = (shells.sx2[h] + shells.sy2[k] + shells.sz2[l]).squareRoot()
            if s < 1 / low || s > 1 / high { f[h, k, l] = .zero }
        } } }
        return FFT.backward(f)
    }

    /// Σ map² over voxels where `region` is true.
    static func energy(_ map: Volume, where region: (Int) -> Bool) -> Double {
        var s = 0.0
        for i in 0..<map.grid.count where region(i) { s += Double(map.voxels[i]) * Double(map.voxels[i]) }
        return s
    }
}

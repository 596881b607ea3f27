import Foundation
import MapModel
@testable import Figures

/// Analytic maps for the surface-view tests: a sphere whose surface is known exactly, and a
/// small "molecule" of Gaussian blobs with a local-resolution field, for the reference image.
extension FigureFixtures {
    /// A cube of `n` voxels of `voxel` Å holding a ball of radius `radius` Å at the box centre:
    /// 1 inside, 0 outside, with a logistic edge of width `edge` Å, so the 0.5 level lies on
    /// the sphere of that radius.
    static func ball(n: Int, voxel: Double, radius: Double, edge: Double = 1.5) -> Volume {
        let centre = Double(n) * voxel / 2
        return Volume(grid: VoxelGrid(cube: n, voxel: voxel)) { x, y, z in
            let p = (SIMD3<Double>(Double(x), Double(y), Double(z)) + 0.5) * voxel - centre
            let r = (p * p).sum().squareRoot()
            return Float(1 / (1 + exp((r - radius) / edge)))
        }
    }

    /// A local-resolution map on `grid` that is `left` Å where x < the box centre and `right`
    /// Å elsewhere.
    static func splitResolution(_ grid: VoxelGrid, left: Float, right: Float) -> Volume {
        Volume(grid: grid) { x, _, _ in x < grid.size.x / 2 ? left : right }
    }

    /// Three Gaussian blobs, and the same map with a finer ripple added (a "sharpened" map).
    static func blobMaps() -> (original: Volume, sharpened: Volume) {
        let grid = VoxelGrid(cube: 40, voxel: 1.5)
        let blobs: [(SIMD3<Double>, Double, Double)] = [(SIMD3(20, 20, 20), 7, 1), (SIMD3(11, 23, 17), 4, 0.8), (SIMD3(26, 12, 27), 5, 0.9)]
        func density(_ x: Int, _ y: Int, _ z: Int) -> Double {
            let p = SIMD3<Double>(Double(x), Double(y), Double(z))
            return blobs.reduce(0) { s, b in s + b.2 * exp(-((p - b.0) * (p - b.0)).sum() / (2 * b.1 * b.1)) }
        }
        let original = Volume(grid: grid) { x, y, z in Float(density(x, y, z)) }
        let sharpened = Volume(grid: grid) { x, y, z in
            Float(density(x, y, z) * (1 + 0.25 * sin(Double(x) * 0.9) * sin(Double(y) * 0.7) * sin(Double(z) * 0.8)))
        }
        return (original, sharpened)
    }

    /// Local resolution rising from 3 Å at the first blob's centre outwards, with a tilt along
    /// x; 0 (no value) beyond 16 voxels from the centre.
    static func blobResolution() -> Volume {
        Volume(grid: VoxelGrid(cube: 40, voxel: 1.5)) { x, y, z in
            let d = SIMD3<Double>(Double(x) - 20, Double(y) - 20, Double(z) - 20)
            let r = (d * d).sum().squareRoot()
            return r < 16 ? Float(3 + 0.22 * r + 0.04 * Double(x)) : 0
        }
    }

    /// The surface-view figure of the reference image: two maps at the same enclosed volume,
    /// coloured by local resolution.
    static func surfaceViews() -> SurfaceViewFigure {
        let maps = blobMaps()
        let rows = try! SurfaceViewFigure.maps([("original", maps.original), ("sharpened", maps.sharpened)],
                                               enclosing: 9000, resolution: blobResolution(), pixels: 160)
        return SurfaceViewFigure(title: "Surfaces coloured by local resolution", maps: rows,
                                 colorBar: SurfaceViewFigure.colorScale(for: rows), width: 480)
    }
}

import Foundation
import Testing
import FourierEngine
import MapModel
@testable import NotebookCells
@testable import Figures

/// The views cell's curves against analytic truth.
@Suite("Views cell")
struct ViewsCellTests {
    /// A Gaussian blob of width σ Å in a cube of n voxels of `voxel` Å, plus `noise` of uniform noise.
    static func blob(n: Int = 48, voxel: Double = 1, sigma: Double, noise: Float = 0) -> Volume {
        var state: UInt64 = 12345
        return Volume(grid: VoxelGrid(cube: n, voxel: voxel)) { x, y, z in
            let d = (SIMD3(Double(x), Double(y), Double(z)) - Double(n / 2)) * voxel
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(exp(-(d * d).sum() / (2 * sigma * sigma))) + noise * (Float(state >> 40) / Float(1 << 24) - 0.5)
        }
    }

    @Test("the power spectrum of a Gaussian blob follows exp(−2π²σ²s²·2): ln P against s² has slope −4π²σ²")
    func gaussianSpectrum() {
        let sigma = 2.0
        let curve = ViewsCell.powerSpectrum(Self.blob(sigma: sigma), name: "blob")
        // Shells up to 0.25 1/Å, where the power is still far above rounding.
        var xs: [Double] = [], ys: [Double] = []
        for (s, p) in zip(curve.x, curve.y) where s <= 0.25 { xs.append(s * s); ys.append(log(p!)) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0, sxx = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx) }
        let slope = sxy / sxx
        let expected = -4 * Double.pi * Double.pi * sigma * sigma
        #expect(abs(slope / expected - 1) < 0.03, "slope \(slope), expected \(expected)")
        // And point by point, relative to the first shell.
        for (x, y) in zip(xs, ys) {
            #expect(abs((y - ys[0]) - expected * (x - xs[0])) < 0.15, "at s² = \(x)")
        }
    }

    @Test("volume against contour falls monotonically and passes through the recommended level at the target volume (within 2 %)")
    func volumeContour() throws {
        let map = Self.blob(n: 40, voxel: 1.2, sigma: 4, noise: 0.05)
        let sequence = try SequenceComposition.parse(">A\n" + String(repeating: "ACDEFGHIKLMNPQRSTVWY", count: 2))
        let views = try ViewsCell.views(of: map, label: "blob", sequence: sequence)
        let v = views.volumeContour.y.map { $0! }
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 >= $1 }, "not monotone")
        #expect(zip(views.volumeContour.x, views.volumeContour.x.dropFirst()).allSatisfy { $0 <= $1 })
        let target = try #require(views.contour.targetVolume)
        #expect(abs(target - sequence.molecularVolume) < 1e-9)
        // The curve's point at the recommended level.
        let i = try #require(views.volumeContour.x.firstIndex { abs($0 - views.contourSigma) < 1e-9 })
        #expect(abs(v[i] / target - 1) < 0.02, "\(v[i]) Å³ at the recommended level, target \(target)")
        #expect(views.histogram.y.compactMap { $0 }.reduce(0, +) == Double(map.grid.count))
    }

    @Test("the cached result stays small: images are capped, curves short")
    func resultIsSmall() throws {
        let map = Self.blob(n: 160, voxel: 1, sigma: 6)
        let views = try ViewsCell.views(of: map, label: "big", sequence: nil)
        #expect(views.projections.allSatisfy { $0.width <= ViewsCell.imageLimit && $0.height <= ViewsCell.imageLimit })
        #expect(views.central.slices.allSatisfy { $0.width <= ViewsCell.imageLimit })
        #expect(abs(views.projections[0].physicalWidth - 160) < 1e-9)
        let bytes = try JSONEncoder().encode(ViewsCell.Result(maps: [views])).count
        #expect(bytes < 3_000_000, "\(bytes) bytes")
    }

    @Test("every map's surface encloses the first map's recommended volume, whatever its scale")
    func surfacesEncloseOneVolume() throws {
        let first = Self.blob(sigma: 4, noise: 0.02)
        var scaled = Self.blob(sigma: 3, noise: 0.02)
        for i in scaled.voxels.indices { scaled.voxels[i] = 7 * scaled.voxels[i] + 2 }
        let a = try ViewsCell.views(of: first, label: "first", sequence: nil)
        let b = try ViewsCell.views(of: scaled, label: "second", sequence: nil, enclosing: a.contour.enclosedVolume)
        // Within a voxel (1 Å³) of each other, and each surface drawn with its three views.
        #expect(abs(a.surface.enclosedVolume - a.contour.enclosedVolume) <= 1)
        #expect(abs(b.surface.enclosedVolume - a.surface.enclosedVolume) <= 1, "\(b.surface.enclosedVolume) vs \(a.surface.enclosedVolume)")
        #expect(a.surface.views.count == 3 && b.surface.views.count == 3)
    }
}

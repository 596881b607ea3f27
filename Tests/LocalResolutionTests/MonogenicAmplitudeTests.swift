import Foundation
import Testing
import MapbookCore
import MapModel
import FourierEngine
@testable import LocalResolution

@Suite("Monogenic amplitude and the sweep")
struct MonogenicAmplitudeTests {
    @Test("the full-band monogenic amplitude of a plane wave is 1 everywhere")
    func planeWave() {
        let n = 32
        let grid = VoxelGrid(cube: n, voxel: 1)
        let wave = Volume(grid: grid) { x, y, z in Float(cos(2 * Double.pi * Double(5 * x + 3 * y + 7 * z) / Double(n))) }
        let bank = MonogenicAmplitude(grid: grid)
        var a = Volume(grid: grid)
        bank.fullBandAmplitude(of: FFT.forward(wave), into: &a)
        let s = a.statistics
        #expect(abs(s.min - 1) < 1e-4 && abs(s.max - 1) < 1e-4, "min \(s.min) max \(s.max)")
    }

    @Test("filter shapes: high-pass 0 at u − 0.02, 0.5 at u − 0.01, 1 from u; low-pass mirrored; hard cut at Nyquist")
    func filterShapes() {
        let u = 0.2, e = 0.02
        #expect(MonogenicAmplitude.highPass(u - 0.02, u: u, edge: e) < 1e-12)
        #expect(abs(MonogenicAmplitude.highPass(u - 0.01, u: u, edge: e) - 0.5) < 1e-12)
        #expect(MonogenicAmplitude.highPass(u, u: u, edge: e) == 1 && MonogenicAmplitude.highPass(0.3, u: u, edge: e) == 1)
        #expect(MonogenicAmplitude.lowPass(u, u: u, edge: e) == 1)
        #expect(abs(MonogenicAmplitude.lowPass(u + 0.01, u: u, edge: e) - 0.5) < 1e-12)
        #expect(MonogenicAmplitude.lowPass(u + 0.02, u: u, edge: e) < 1e-12)
        // u = 0.5: zero-width edge — no division by zero, a clean cut.
        #expect(MonogenicAmplitude.lowPass(0.5, u: 0.5, edge: e) == 1)
        #expect(MonogenicAmplitude.lowPass(0.51, u: 0.5, edge: e) == 0)
        #expect(!MonogenicAmplitude.lowPass(0.5000001, u: 0.5, edge: e).isNaN)
    }

    @Test("the sweep snaps to shells exactly as xmipp: N = 96, 1 Å, from 12 Å in 0.25 Å steps")
    func snapping() {
        let sweep = ResolutionSweep(low: 12, step: 0.25, voxel: 1, boxVoxels: 96)
        let expected = [12.00, 10.67, 9.60, 8.73, 8.00, 7.38, 6.86, 6.40, 6.00, 5.65, 5.33, 5.05, 4.80, 4.57, 4.17,
                        4.00, 3.69, 3.56, 3.20, 3.00, 2.74, 2.53, 2.23, 2.00]
        #expect(sweep.resolutions.count == expected.count)
        for (a, b) in zip(sweep.resolutions, expected) { #expect(abs(a - b) < 0.005, "\(a) vs \(b)") }
    }

    @Test("quantile and median by selection agree with sorting")
    func selection() {
        var rng = SeededGenerator(seed: 4)
        let values = (0..<1001).map { _ in Float(rng.nextGaussian()) }
        let sorted = values.sorted()
        var a = values
        #expect(Selection.quantile(&a, 0.95) == sorted[Int(0.95 * 1001)])
        var b = values
        #expect(Selection.median(&b) == sorted[500])
        var c = Array(values.prefix(1000))
        let s2 = c.sorted()
        #expect(Selection.median(&c) == 0.5 * (s2[499] + s2[500]))
    }
}

import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import FourierEngine

/// A deterministic pseudo-random volume.
func noiseVolume(_ grid: VoxelGrid, seed: UInt64) -> Volume {
    var rng = SeededGenerator(seed: seed)
    return Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
}

@Suite("FFT")
struct FFTTests {
    @Test("forward then backward returns the map, for odd and non-cubic boxes",
          arguments: [SIMD3(16, 16, 16), SIMD3(15, 12, 9), SIMD3(7, 10, 13), SIMD3(32, 24, 20)])
    func roundTrip(size: SIMD3<Int>) {
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1.1, 1.2, 0.9))
        let v = noiseVolume(grid, seed: 3)
        let back = FFT.backward(FFT.forward(v))
        var worst: Float = 0
        for i in 0..<grid.count { worst = max(worst, abs(back.voxels[i] - v.voxels[i])) }
        #expect(worst < 1e-4)
    }

    @Test("the DC term is the mean voxel value")
    func dcIsMean() {
        let grid = VoxelGrid(size: SIMD3(12, 10, 9), voxelSize: SIMD3(repeating: 1))
        let v = Volume(grid: grid) { _, _, _ in 2.5 }
        let f = FFT.forward(v)
        #expect(abs(f[0, 0, 0].re - 2.5) < 1e-5)
        #expect(abs(f[0, 0, 0].im) < 1e-6)
        #expect(abs(f[1, 2, 3].magnitude) < 1e-5)
    }

    @Test("the result does not depend on the thread count")
    func threadIndependent() {
        let grid = VoxelGrid(cube: 24, voxel: 1)
        let v = noiseVolume(grid, seed: 9)
        let (one, two) = ThreadCountLock.exclusive {
            let saved = Parallelism.threads
            defer { Parallelism.threads = saved }
            Parallelism.threads = 1
            let one = FFT.forward(v)
            Parallelism.threads = 2
            return (one, FFT.forward(v))
        }
        var worst: Float = 0
        for i in 0..<one.coefficients.count {
            worst = max(worst, abs(one.coefficients[i].re - two.coefficients[i].re), abs(one.coefficients[i].im - two.coefficients[i].im))
        }
        #expect(worst < 1e-5)
    }
}

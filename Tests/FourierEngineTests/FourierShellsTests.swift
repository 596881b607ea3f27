import Foundation
import Testing
import MapbookCore
import MapModel
@testable import FourierEngine

@Suite("Fourier shells")
struct FourierShellsTests {
    /// Naive full complex DFT of a tiny volume, |F|² summed per shell with the same shell rule,
    /// against the Hermitian-weighted half-space sums.
    @Test("Hermitian-weighted half-space sums equal full-sphere sums", arguments: [SIMD3(6, 5, 4), SIMD3(7, 6, 5)])
    func hermitianWeights(size: SIMD3<Int>) {
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1.0, 1.3, 0.8))
        let v = noiseVolume(grid, seed: 5)
        let shells = FourierShells(grid: grid)
        let half = shells.meanPower(FFT.forward(v))
        var full = [Double](repeating: 0, count: shells.shellCount)
        var counts = [Double](repeating: 0, count: shells.shellCount)
        let n = size
        let box = grid.boxLength
        let L = max(box.x, box.y, box.z)
        for l in 0..<n.z { for k in 0..<n.y { for h in 0..<n.x {
            var re = 0.0, im = 0.0
            for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
                let phase = -2 * Double.pi * (Double(h * x) / Double(n.x) + Double(k * y) / Double(n.y) + Double(l * z) / Double(n.z))
                let value = Double(v[x, y, z])
                re += value * cos(phase); im += value * sin(phase)
            } } }
            re /= Double(grid.count); im /= Double(grid.count)
            func signed(_ i: Int, _ m: Int) -> Double { Double(i > m / 2 ? i - m : i) }
            let s = SIMD3(signed(h, n.x) / box.x, signed(k, n.y) / box.y, signed(l, n.z) / box.z)
            let shell = Int((L * (s * s).sum().squareRoot()).rounded())
            if shell <= shells.maxShell { full[shell] += re * re + im * im; counts[shell] += 1 }
        } } }
        for i in 0..<shells.shellCount {
            #expect(abs(shells.counts[i] - counts[i]) < 1e-9, "count in shell \(i)")
            if counts[i] > 0 {
                #expect(abs(half[i] - full[i] / counts[i]) <= 1e-6 * max(1, full[i] / counts[i]), "power in shell \(i)")
            }
        }
    }

    @Test("cubic boxes use RELION's shells: round(sqrt(h²+k²+l²)), 0 ... N/2")
    func relionShells() {
        let shells = FourierShells(grid: VoxelGrid(cube: 20, voxel: 2))
        #expect(shells.maxShell == 10)
        #expect(shells.resolution(10) == 4)
        // (3, 4, 0) lies in shell 5; (h=3, k=-4) is stored at k = 16.
        #expect(shells.shellIndex[3 + 11 * (16 + 20 * 0)] == 5)
        // A corner (10, 10, 10) lies beyond Nyquist.
        #expect(shells.shellIndex[10 + 11 * (10 + 20 * 10)] == FourierShells.outside)
    }

    @Test("shells follow physical frequency in non-cubic boxes: a Gaussian's spectrum")
    func nonCubicGaussian() {
        // exp(−r²/2σ²) has transform ∝ exp(−2π²σ²s²): the mean amplitude per shell must follow
        // it whatever the box shape and voxel shape.
        for (size, voxel) in [(SIMD3(48, 40, 56), SIMD3(1.2, 1.2, 1.2)), (SIMD3(40, 40, 40), SIMD3(1.0, 1.5, 1.2))] {
            let grid = VoxelGrid(size: size, voxelSize: voxel)
            let sigma = 3.0
            let c = SIMD3(Double(size.x / 2), Double(size.y / 2), Double(size.z / 2)) * voxel
            let v = Volume(grid: grid) { x, y, z in
                let d = SIMD3(Double(x), Double(y), Double(z)) * voxel - c
                return Float(exp(-(d * d).sum() / (2 * sigma * sigma)))
            }
            let shells = FourierShells(grid: grid)
            let amp = shells.meanAmplitude(FFT.forward(v))
            for i in 1..<shells.shellCount {
                let s = shells.frequency(i)
                let expected = amp[0] * exp(-2 * .pi * .pi * sigma * sigma * s * s)
                guard expected > 1e-3 * amp[0] else { continue }
                // Shells are one reciprocal voxel thick, so the mean over the shell differs from
                // the value at its centre by a few percent where the Gaussian falls steeply.
                #expect(abs(amp[i] / expected - 1) < 0.06, "shell \(i) of \(size): \(amp[i]) vs \(expected)")
            }
        }
    }
}

import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import FourierEngine

@Suite("Spectral filters and phase randomisation")
struct FilterTests {
    let grid = VoxelGrid(size: SIMD3(24, 24, 20), voxelSize: SIMD3(repeating: 1.3))

    @Test("low-pass gain: 1 at the low edge, 0.5 at the centre, 0 at the high edge")
    func lowPassGains() {
        let f = SpectralFilter(lowPass: 10, lowPassEdgeShells: 2)
        let L = 100.0
        #expect(f.lowPassGain(0.1 - 1 / L, referenceLength: L) == 1)
        #expect(abs(f.lowPassGain(0.1, referenceLength: L) - 0.5) < 1e-12)
        #expect(f.lowPassGain(0.1 + 1 / L, referenceLength: L) == 0)
    }

    @Test("sharpening by B then by −B is the identity inside Nyquist")
    func bFactorInverse() {
        let shells = FourierShells(grid: grid)
        var f = FFT.forward(noiseVolume(grid, seed: 4))
        shells.apply(SpectralFilter(), to: &f) // band-limit: zero the corners first
        let original = f
        shells.apply(SpectralFilter(bFactor: -150), to: &f)
        shells.apply(SpectralFilter(bFactor: 150), to: &f)
        for i in 0..<f.coefficients.count {
            #expect(abs(f.coefficients[i].re - original.coefficients[i].re) <= 1e-4 * max(1e-3, abs(original.coefficients[i].re)))
        }
    }

    @Test("B convention: the applied factor is exp(−B s²/4), so negative B boosts high frequencies")
    func bConvention() {
        let shells = FourierShells(grid: grid)
        var f = HalfSpectrum(grid: grid)
        // One coefficient at (h, k, l) = (3, −2, 4): s² = (3/Lx)² + (2/Ly)² + (4/Lz)².
        f[3, grid.size.y - 2, 4] = ComplexF(1, 0)
        shells.apply(SpectralFilter(bFactor: -100), to: &f)
        let box = grid.boxLength
        let s2 = pow(3 / box.x, 2) + pow(2 / box.y, 2) + pow(4 / box.z, 2)
        let expected = exp(100 * s2 / 4)
        #expect(expected > 1.1)
        #expect(abs(Double(f[3, grid.size.y - 2, 4].re) / expected - 1) < 1e-6)
    }

    @Test("phase randomisation keeps amplitudes, keeps the map real, leaves low shells untouched")
    func randomization() {
        let shells = FourierShells(grid: grid)
        let f = FFT.forward(noiseVolume(grid, seed: 12))
        var r = f
        shells.randomizePhases(&r, beyondShell: 5, seed: 0)
        // Amplitudes unchanged.
        for i in 0..<r.coefficients.count {
            let a = f.coefficients[i].magnitude, b = r.coefficients[i].magnitude
            #expect(abs(a - b) <= 1e-5 * max(a, 1e-6))
        }
        // Low shells bit for bit, and phases really changed beyond.
        var changed = 0, beyond = 0
        for i in 0..<r.coefficients.count {
            let shell = shells.shellIndex[i]
            if shell < 5 { #expect(r.coefficients[i] == f.coefficients[i]) }
            else if shell != FourierShells.outside {
                beyond += 1
                if abs(r.coefficients[i].re - f.coefficients[i].re) > 1e-3 * f.coefficients[i].magnitude { changed += 1 }
            }
        }
        #expect(Double(changed) > 0.95 * Double(beyond))
        // Real: a round trip through real space reproduces the coefficients.
        let again = FFT.forward(FFT.backward(r))
        var worst: Float = 0
        for i in 0..<r.coefficients.count where shells.shellIndex[i] != FourierShells.outside {
            worst = max(worst, abs(again.coefficients[i].re - r.coefficients[i].re), abs(again.coefficients[i].im - r.coefficients[i].im))
        }
        #expect(worst < 1e-5)
    }

    @Test("same seed gives identical phases, whatever the thread count; another seed differs")
    func randomizationDeterminism() {
        let shells = FourierShells(grid: grid)
        let f = FFT.forward(noiseVolume(grid, seed: 13))
        var a = f, b = f, c = f
        ThreadCountLock.exclusive {
            let saved = Parallelism.threads
            Parallelism.threads = 1
            shells.randomizePhases(&a, beyondShell: 3, seed: 42)
            Parallelism.threads = 2
            shells.randomizePhases(&b, beyondShell: 3, seed: 42)
            shells.randomizePhases(&c, beyondShell: 3, seed: 43)
            Parallelism.threads = saved
        }
        #expect(a == b)
        #expect(a != c)
    }
}

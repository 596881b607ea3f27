import Foundation
import Testing
import MapbookCore
import MapModel
import Simulation
@testable import FourierEngine

@Suite("Fourier shell correlation")
struct FSCTests {
    let grid = VoxelGrid(size: SIMD3(32, 30, 28), voxelSize: SIMD3(repeating: 1.5))

    func fsc(_ a: Volume, _ b: Volume) -> FSCCurve {
        FourierShells(grid: a.grid).fsc(FFT.forward(a), FFT.forward(b))
    }

    func transformed(_ v: Volume, _ f: (Float) -> Float) -> Volume {
        var out = v
        for i in 0..<out.voxels.count { out.voxels[i] = f(v.voxels[i]) }
        return out
    }

    @Test("FSC of a map with itself is 1 in every shell; with its negative −1; with 3× itself 1")
    func selfCorrelation() {
        let a = noiseVolume(grid, seed: 1)
        for (other, expected) in [(a, 1.0), (transformed(a) { -$0 }, -1.0), (transformed(a) { 3 * $0 }, 1.0)] {
            let c = fsc(a, other)
            for i in 0..<c.shellCount { #expect(abs(c.fsc[i] - expected) < 1e-6, "shell \(i)") }
        }
    }

    @Test("FSC is unchanged when both maps are scaled, mirror-flipped or translated together")
    func invariances() {
        let a = noiseVolume(grid, seed: 2)
        let b = transformed(noiseVolume(grid, seed: 3)) { $0 } // independent noise
        var mixed = a
        for i in 0..<mixed.voxels.count { mixed.voxels[i] = 0.7 * a.voxels[i] + 0.3 * b.voxels[i] }
        let base = fsc(a, mixed)
        let n = grid.size
        func flip(_ v: Volume) -> Volume { Volume(grid: grid) { x, y, z in v[n.x - 1 - x, y, z] } }
        func shift(_ v: Volume) -> Volume { Volume(grid: grid) { x, y, z in v[(x + 5) % n.x, (y + 3) % n.y, (z + 7) % n.z] } }
        let cases = [
            fsc(transformed(a) { 4 * $0 }, transformed(mixed) { 4 * $0 }),
            fsc(transformed(a) { 0.01 * $0 }, transformed(mixed) { 250 * $0 }),
            fsc(flip(a), flip(mixed)),
            fsc(shift(a), shift(mixed)),
        ]
        for c in cases {
            for i in 0..<c.shellCount { #expect(abs(c.fsc[i] - base.fsc[i]) < 1e-4, "shell \(i)") }
        }
    }

    @Test("independent white noise: FSC ≈ 0 with spread 1/sqrt(n/2) per shell")
    func independentNoise() {
        let g = VoxelGrid(cube: 48, voxel: 1)
        let c = fsc(noiseVolume(g, seed: 10), noiseVolume(g, seed: 11))
        var z = [Double]()
        for i in 4..<c.shellCount {
            z.append(c.fsc[i] / (1 / (c.count[i] / 2).squareRoot()))
        }
        let mean = z.reduce(0, +) / Double(z.count)
        let sd = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count)).squareRoot()
        #expect(abs(mean) < 0.5)
        #expect(sd > 0.6 && sd < 1.4, "normalised spread \(sd)")
    }

    /// The pair's noise is independent of the signal, so each shell's FSC scatters about the
    /// prediction by about (1 − FSC²)/sqrt(n/2); a 128³ box keeps that below 0.007 from shell 4.
    @Test("a synthetic pair with known SSNR gives the predicted FSC within 0.02 per shell")
    func knownSSNR() throws {
        var p = SyntheticPairParameters()
        p.size = 128; p.voxelSize = 1.2; p.resolution = 4.0; p.atoms = 6000; p.seed = 7
        let pair = try SyntheticPairGenerator.make(p)
        let c = fsc(pair.half1, pair.half2)
        var checked = 0
        for i in 4..<c.shellCount {
            #expect(abs(c.fsc[i] - pair.expectedFSC[i]) < 0.02, "shell \(i): \(c.fsc[i]) vs \(pair.expectedFSC[i])")
            checked += 1
        }
        #expect(checked > 55)
        let r = c.resolution(at: .goldStandard)
        #expect(r.status == .crossed)
        #expect(abs(r.interpolatedResolution - 4.0) < 0.1, "interpolated \(r.interpolatedResolution)")
    }
}

@Suite("Resolution criteria")
struct ResolutionCriteriaTests {
    func curve(_ values: [Double]) -> FSCCurve {
        FSCCurve(frequency: values.indices.map { Double($0) / 100 }, fsc: values, count: values.indices.map { Double(1 + 10 * $0 * $0) })
    }

    @Test("first crossing decides, RELION-style and interpolated")
    func crossing() {
        let c = curve([1, 0.99, 0.9, 0.6, 0.3, 0.1, 0.2, 0.05])
        let r = c.resolution(at: .goldStandard)
        #expect(r.status == .crossed)
        #expect(r.lastShellAbove == 4)
        #expect(abs(r.shellResolution - 25) < 1e-9)
        // Linear between shell 4 (0.3) and 5 (0.1): 0.143 at 4 + 0.157/0.2 = 4.785 → 100/4.785 Å.
        #expect(abs(r.interpolatedResolution - 100 / 4.785) < 1e-9)
        #expect(c.resolution(at: .fixed(0.5)).lastShellAbove == 3)
    }

    @Test("a curve that never falls below is reported as Nyquist-limited")
    func neverCrosses() {
        let r = curve([1, 0.9, 0.8, 0.7, 0.5]).resolution(at: .goldStandard)
        #expect(r.status == .neverCrosses)
        #expect(r.lastShellAbove == 4)
        #expect(r.summary.contains("never crosses"))
    }

    @Test("a curve below the threshold at shell 1")
    func belowFirst() {
        #expect(curve([1, 0.01, 0.3]).resolution(at: .goldStandard).status == .belowFirstShell)
    }

    @Test("half-bit threshold: van Heel & Schatz values")
    func halfBit() {
        let t = FSCThreshold.halfBit(symmetryOrder: 1)
        #expect(abs(t.value(count: 2e12) - 0.2071 / 1.2071) < 1e-5)
        // n_eff = 50 for a 100-coefficient shell: (0.2071 + 1.9102/√50)/(1.2071 + 0.9102/√50).
        let r = 1 / 50.0.squareRoot()
        #expect(abs(t.value(count: 100) - (0.2071 + 1.9102 * r) / (1.2071 + 0.9102 * r)) < 1e-12)
        #expect(FSCThreshold.halfBit(symmetryOrder: 4).value(count: 400) == t.value(count: 100))
    }
}

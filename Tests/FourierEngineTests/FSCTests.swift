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
        let r = try c.resolution(at: .goldStandard)
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
    func crossing() throws {
        let c = curve([1, 0.99, 0.9, 0.6, 0.3, 0.1, 0.2, 0.05])
        let r = try c.resolution(at: .goldStandard)
        #expect(r.status == .crossed)
        #expect(r.lastShellAbove == 4)
        #expect(abs(r.shellResolution - 25) < 1e-9)
        // Linear between shell 4 (0.3) and 5 (0.1): 0.143 at 4 + 0.157/0.2 = 4.785 → 100/4.785 Å.
        #expect(abs(r.interpolatedResolution - 100 / 4.785) < 1e-9)
        #expect(try c.resolution(at: .fixed(0.5)).lastShellAbove == 3)
    }

    @Test("a curve that never falls below is reported as Nyquist-limited")
    func neverCrosses() throws {
        let r = try curve([1, 0.9, 0.8, 0.7, 0.5]).resolution(at: .goldStandard)
        #expect(r.status == .neverCrosses)
        #expect(r.lastShellAbove == 4)
        #expect(r.summary.contains("never crosses"))
    }

    @Test("undefined shells: the first one ends the walk (dataEnds); undefined at shell 1 throws")
    func undefinedShells() throws {
        let nan = Double.nan
        let ends = try curve([1, 0.9, 0.8, nan, nan]).resolution(at: .goldStandard)
        #expect(ends.status == .dataEnds && ends.lastShellAbove == 2)
        #expect(ends.shellResolution == 50 && ends.interpolatedResolution == 50)
        #expect(ends.summary.contains("where both maps have power"))
        // A hole ends the walk too: nothing beyond it counts, not even a later crossing.
        let hole = try curve([1, 0.9, nan, 0.9, 0.1]).resolution(at: .goldStandard)
        #expect(hole.status == .dataEnds && hole.lastShellAbove == 1)
        // A crossing before the data end is an ordinary crossing.
        #expect(try curve([1, 0.9, 0.1, nan]).resolution(at: .goldStandard).status == .crossed)
        // Shell 0 may be undefined (a zero-mean map has no DC power); it is never read.
        #expect(try curve([nan, 0.9, 0.8]).resolution(at: .goldStandard).status == .neverCrosses)
        #expect(throws: MapbookError.self) { try curve([1, nan, 0.9]).resolution(at: .goldStandard) }
        #expect(throws: MapbookError.self) { try curve([1]).resolution(at: .goldStandard) }
        #expect(curve([1, 0.9, nan, 0.5]).firstShell(below: 0.8) == 2)
        #expect(curve([1, 0.9, 0.85]).firstShell(below: 0.8) == nil)
    }

    @Test("a curve below the threshold at shell 1")
    func belowFirst() throws {
        #expect(try curve([1, 0.01, 0.3]).resolution(at: .goldStandard).status == .belowFirstShell)
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

/// The rule of `FourierShells.fsc`: shells where a map holds only rounding residue are
/// undefined, whatever the CPU's FFT code path made of the residue; real signal, however
/// weak, is still correlated.
@Suite("FSC: undefined shells (rounding floor)")
struct FSCRoundingRuleTests {
    /// 48³ voxels of 1 Å: shell i has radius i, L = 48.
    let grid = VoxelGrid(cube: 48, voxel: 1)
    /// A 6 Å low-pass with a 2-shell edge: the gain is 0 from radius 9 on, so shell 9
    /// ([8.5, 9.5)) is the last with power and shells 10… hold only rounding residue.
    let lastWithPower = 9

    func filtered(_ v: Volume, _ filter: SpectralFilter) -> Volume {
        var f = FFT.forward(v)
        FourierShells(grid: v.grid).apply(filter, to: &f)
        return FFT.backward(f)
    }

    /// White noise low-passed at 6 Å (one FFT round trip).
    var lowPassed: Volume { filtered(noiseVolume(grid, seed: 21), SpectralFilter(lowPass: 6, lowPassEdgeShells: 2)) }

    /// The rounding floor of `v` (per-coefficient mean power), from its mean square voxel.
    func floor(_ v: Volume) -> Double {
        let p = v.voxels.array.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(v.grid.count)
        return RoundingFloor.meanPower(totalPower: p, voxelCount: v.grid.count)
    }

    @Test("a low-passed map against itself and a blurred copy: 1 up to the cut-off, undefined beyond; the residue is far below the floor")
    func lowPassedMap() throws {
        let shells = FourierShells(grid: grid)
        let low = lowPassed
        let blurred = filtered(low, SpectralFilter(bFactor: 20))   // two more round trips
        let noise = noiseVolume(grid, seed: 22)
        let fl = FFT.forward(low), fb = FFT.forward(blurred)
        let selfCurve = shells.fsc(fl, fl), blurCurve = shells.fsc(fl, fb), noiseCurve = shells.fsc(fl, FFT.forward(noise))
        for i in 0...lastWithPower {
            #expect(abs(selfCurve.fsc[i] - 1) < 1e-9, "shell \(i): \(selfCurve.fsc[i])")
            // The B-factor's gain varies by a few per cent across one shell: FSC ≥ 0.999.
            #expect(blurCurve.fsc[i] > 0.999, "shell \(i): \(blurCurve.fsc[i])")
            #expect(noiseCurve.isDefined(i))
        }
        for i in (lastWithPower + 1)..<shells.shellCount {
            #expect(!selfCurve.isDefined(i) && !blurCurve.isDefined(i) && !noiseCurve.isDefined(i), "shell \(i)")
        }
        // The rule is CPU-independent only if the residue sits far below the floor: demand 100×
        // (measured 6600–15000×) for the map after one and after three transforms.
        for (name, v, f) in [("low-passed", low, fl), ("blurred", blurred, fb)] {
            let power = shells.meanPower(f)
            let worst = power[(lastWithPower + 1)...].max()!
            let weakestReal = power[1...lastWithPower].min()!
            print(String(format: "%@: residue beyond the cut-off ≤ %.2e of the floor (%.1f ε²·P/N); weakest real shell %.2e× the floor",
                         name, worst / floor(v), worst / (floor(v) / pow(RoundingFloor.factor(voxelCount: grid.count), 2)),
                         weakestReal / floor(v)))
            #expect(worst < 0.01 * floor(v))
            #expect(weakestReal > 100 * floor(v))
            #expect(shells.hasPower(f) == (0..<shells.shellCount).map { $0 <= lastWithPower })
        }
        // The data end at the cut-off: that shell is the resolution, not Nyquist.
        let r = try blurCurve.resolution(at: .goldStandard)
        #expect(r.status == .dataEnds && r.lastShellAbove == lastWithPower, "\(r)")
        #expect(abs(r.interpolatedResolution - 48.0 / Double(lastWithPower)) < 1e-9)
    }

    @Test("a shell with tiny but real signal (10³ × the rounding floor) is still correlated")
    func tinyRealSignal() throws {
        let shells = FourierShells(grid: grid)
        let low = lowPassed
        let target = 16   // well beyond the cut-off
        var g = FFT.forward(low)
        let amplitude = Float((1000 * floor(low) / 2).squareRoot())   // |F|² = 2a² on average
        var rng = SeededGenerator(seed: 23)
        for i in 0..<g.coefficients.count where shells.shellIndex[i] == UInt16(target) {
            g.coefficients[i] = ComplexF(amplitude * Float(rng.nextGaussian()), amplitude * Float(rng.nextGaussian()))
        }
        let tiny = FFT.backward(g)
        let blurred = filtered(tiny, SpectralFilter(bFactor: 20))
        let ft = FFT.forward(tiny)
        let power = shells.meanPower(ft)
        print(String(format: "tiny shell: %.2e× the floor, %.2e of the mean power per coefficient", power[target] / floor(tiny),
                     power[target] / (tiny.voxels.array.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(grid.count) / Double(grid.count))))
        #expect(power[target] > 300 * floor(tiny))
        let c = shells.fsc(ft, FFT.forward(blurred))
        #expect(c.isDefined(target) && c.fsc[target] > 0.999, "shell \(target): \(c.fsc[target])")
        for i in (lastWithPower + 1)..<shells.shellCount where i != target { #expect(!c.isDefined(i), "shell \(i)") }
    }

    @Test("all-zero and constant maps: undefined everywhere (but shell 0 for a non-zero constant); no resolution; refused by name")
    func constantMaps() throws {
        let shells = FourierShells(grid: grid)
        let noise = FFT.forward(noiseVolume(grid, seed: 24))
        let zero = Volume(grid: grid)
        var constant = Volume(grid: grid)
        for i in 0..<constant.voxels.count { constant.voxels[i] = 2.5 }
        let cz = shells.fsc(noise, FFT.forward(zero)), cc = shells.fsc(FFT.forward(constant), noise)
        #expect((0..<shells.shellCount).allSatisfy { !cz.isDefined($0) })
        #expect(cc.isDefined(0) && (1..<shells.shellCount).allSatisfy { !cc.isDefined($0) })
        for c in [cz, cc] {
            #expect { try c.resolution(at: .goldStandard) } throws: { e in "\(e)".contains("undefined at the lowest resolution") }
        }
        #expect { try FSCInput.requireVarying(zero, name: "half2.mrc") } throws: { e in
            "\(e)" == "half2.mrc: the map is constant (every voxel 0.0): its FSC is undefined"
        }
        #expect { try FSCInput.requireVarying(constant, name: "half map 1") } throws: { e in
            "\(e)" == "half map 1: the map is constant (every voxel 2.5): its FSC is undefined"
        }
        #expect { try FSCInput.requireNonzeroMask(zero, name: "mask.mrc") } throws: { e in
            "\(e)" == "mask.mrc: the mask is all zero: the masked FSC is undefined"
        }
        #expect(throws: Never.self) { try FSCInput.requireVarying(noiseVolume(grid, seed: 25), name: "x") }
        #expect { try FSCInput.requireDefined(cz, noise, FFT.forward(zero), names: ("a.mrc", "b.mrc"), shells: shells) } throws: { e in
            "\(e)".hasPrefix("b.mrc: has no power above rounding level")
        }
    }

    @Test("FSC weights: 1 at FSC 1, 0.5002 at 0.143, 0 at or below 0 and past the first FSC < 1e-4")
    func weights() {
        let c = FSCCurve(frequency: [0, 0.1, 0.2, 0.3, 0.4, 0.5], fsc: [1, 0.143, -0.2, 0.00005, 0.5, 0.9], count: [1, 1, 1, 1, 1, 1])
        let w = FSCWeight.weights(c)
        #expect(w[0] == 1)
        #expect(abs(w[1] - 0.5002) < 1e-4)
        #expect(w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0)
    }

    @Test("C_ref of one value: 0 at or below 0, NaN when undefined, sqrt(2F/(1+F)) else")
    func referenceWeight() {
        #expect(FSCWeight.reference(1) == 1)
        #expect(FSCWeight.reference(0) == 0 && FSCWeight.reference(-0.3) == 0)
        #expect(FSCWeight.reference(.nan).isNaN)
        #expect(abs(FSCWeight.reference(0.5) - (2.0 / 3).squareRoot()) < 1e-15)
    }
}

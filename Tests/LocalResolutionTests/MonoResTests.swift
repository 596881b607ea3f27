import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
import FourierEngine
@testable import LocalResolution
import Simulation

@Suite("MonoRes")
struct MonoResTests {
    /// The spec's two-region phantom: the x < centre half low-passed at 4 Å, the other at 8 Å.
    /// Noise levels are relative to the SD of the unfiltered atom map inside the mask.
    static let twoRegion: (clean: Volume, mask: Volume, signalSD: Double) = {
        let truth = Phantom.atoms(n: 96, voxel: 1, count: 4000, radius: 28, seed: 1)
        let fine = Phantom.hardLowPass(truth, 4), coarse = Phantom.hardLowPass(truth, 8)
        let map = Phantom.blend(fine, coarse) { x, _, _ in 1 / (1 + exp(-Double(x - 48) / 2)) }
        let mask = Phantom.sphereMask(truth.grid, radiusVoxels: 30)
        return (map, mask, Phantom.sd(truth, inside: mask))
    }()

    func regionMedians(_ r: Volume) -> (fine: Double, coarse: Double) {
        var fine: [Double] = [], coarse: [Double] = []
        let n = r.grid.size.x
        for z in 0..<n { for y in 0..<n { for x in 0..<n {
            let v = Double(r[x, y, z])
            guard v > 0 else { continue }
            if x < 48 - 6 { fine.append(v) } else if x > 48 + 6 { coarse.append(v) }
        } } }
        func median(_ a: [Double]) -> Double { let s = a.sorted(); return s[s.count / 2] }
        return (median(fine), median(coarse))
    }

    @Test("two-region phantom, noise 0.25: half-map and single-map medians within the spec's acceptance")
    func twoRegions() throws {
        let (clean, mask, signalSD) = Self.twoRegion
        let sd = 0.25 * signalSD
        let h1 = Phantom.addNoise(clean, sd: sd, seed: 11), h2 = Phantom.addNoise(clean, sd: sd, seed: 12)
        let halves = try MonoRes.run(half1: h1, half2: h2, mask: mask)
        // Single-map mode on the same data: the average of the halves, noise from outside the mask.
        let average = Phantom.blend(h1, h2) { _, _, _ in 0.5 }
        let single = try MonoRes.run(half1: average, half2: nil, mask: mask)
        let mh = regionMedians(halves.resolution), ms = regionMedians(single.resolution)
        print("two-region phantom: half-map medians \(mh), single-map medians \(ms); stop: \(halves.summary.stopReason)")
        for m in [mh, ms] {
            #expect(m.fine >= 4.0 && m.fine <= 4.6, "4 Å side: \(m.fine)")
            #expect(m.coarse >= 7.5 && m.coarse <= 8.9, "8 Å side: \(m.coarse)")
        }
        #expect(abs(mh.fine - ms.fine) < 0.7 && abs(mh.coarse - ms.coarse) < 0.7)
        // Nothing outside the mask, nothing non-finite.
        for i in 0..<mask.grid.count {
            let v = halves.resolution.voxels[i]
            #expect(v.isFinite)
            if mask.voxels[i] < 0.5 && v != 0 { Issue.record("voxel \(i) outside the mask has \(v)"); break }
        }
    }

    @Test("more noise gives coarser estimates (monotone)")
    func monotoneInNoise() throws {
        let (clean, mask, base) = Self.twoRegion
        var previous = (fine: 0.0, coarse: 0.0)
        for level in [0.25, 1.0] {
            let h1 = Phantom.addNoise(clean, sd: level * base, seed: 21), h2 = Phantom.addNoise(clean, sd: level * base, seed: 22)
            let m = regionMedians(try MonoRes.run(half1: h1, half2: h2, mask: mask).resolution)
            #expect(m.fine > previous.fine && m.coarse > previous.coarse, "noise \(level): \(m)")
            previous = m
        }
    }

    @Test("radial gradient R(r) = 3 + 5r/30 Å: Spearman ≥ 0.75 and mean absolute error ≤ 0.9 Å")
    func radialGradient() throws {
        let truth = Phantom.atoms(n: 96, voxel: 1, count: 4000, radius: 28, seed: 3)
        let mask = Phantom.sphereMask(truth.grid, radiusVoxels: 30)
        // A bank of hard low-passes 0.25 Å apart, interpolated by radius.
        let levels = stride(from: 3.0, through: 8.0, by: 0.25).map { $0 }
        let bank = levels.map { Phantom.hardLowPass(truth, $0) }
        let c = 48.0
        func r(_ x: Int, _ y: Int, _ z: Int) -> Double {
            let d = SIMD3(Double(x), Double(y), Double(z)) - SIMD3(repeating: c); return (d * d).sum().squareRoot()
        }
        let clean = Volume(grid: truth.grid) { x, y, z in
            let target = min(8, 3 + 5 * r(x, y, z) / 30)
            let f = (target - 3) / 0.25
            let i = min(levels.count - 2, Int(f)), w = f - Double(i)
            return Float((1 - w) * Double(bank[i][x, y, z]) + w * Double(bank[i + 1][x, y, z]))
        }
        let sd = 0.25 * Phantom.sd(truth, inside: mask)
        let out = try MonoRes.run(half1: Phantom.addNoise(clean, sd: sd, seed: 5), half2: Phantom.addNoise(clean, sd: sd, seed: 6), mask: mask)
        var est: [Double] = [], tru: [Double] = []
        for z in 0..<96 { for y in 0..<96 { for x in 0..<96 {
            let rr = r(x, y, z)
            let v = Double(out.resolution[x, y, z])
            guard rr > 3, rr < 27, v > 0 else { continue }
            est.append(v); tru.append(3 + 5 * rr / 30)
        } } }
        let mae = zip(est, tru).map { abs($0 - $1) }.reduce(0, +) / Double(est.count)
        let rho = spearman(est, tru)
        print("radial gradient: Spearman \(rho), mean absolute error \(mae) Å over \(est.count) voxels")
        #expect(rho >= 0.75)
        #expect(mae <= 0.9)
    }

    @Test("pure noise in half-map mode: no voxel gets a resolution better than the low limit")
    func pureNoise() throws {
        let grid = VoxelGrid(cube: 48, voxel: 1)
        let h1 = Phantom.addNoise(Volume(grid: grid), sd: 1, seed: 31), h2 = Phantom.addNoise(Volume(grid: grid), sd: 1, seed: 32)
        let mask = Phantom.sphereMask(grid, radiusVoxels: 15)
        var p = MonoResParameters()
        p.lowResolution = 12
        do {
            let out = try MonoRes.run(half1: h1, half2: h2, mask: mask, parameters: p)
            let best = out.resolution.voxels.filter { $0 > 0 }.min() ?? 12
            #expect(best >= 12 - 1e-4, "best assigned \(best)")
            #expect(!out.summary.warnings.isEmpty, "pure noise must come with a warning")
        } catch let e as MapbookError {
            #expect(e.problem.contains("noise"))
        }
    }

    @Test("mirror-flipping both half maps mirrors the result; scaling and an offset change nothing")
    func invariances() throws {
        let truth = Phantom.atoms(n: 48, voxel: 1.5, count: 800, radius: 24, seed: 8)
        let clean = Phantom.hardLowPass(truth, 5)
        let mask = Phantom.sphereMask(truth.grid, radiusVoxels: 18)
        let sd = 0.3 * Phantom.sd(clean, inside: mask)
        let h1 = Phantom.addNoise(clean, sd: sd, seed: 41), h2 = Phantom.addNoise(clean, sd: sd, seed: 42)
        let baseRun = try MonoRes.run(half1: h1, half2: h2, mask: mask)
        let base = baseRun.resolution
        let n = 48
        // x → n − x (about the box centre n/2, which the sphere logic uses) keeps the mask.
        func flip(_ v: Volume) -> Volume { Volume(grid: v.grid) { x, y, z in v[(n - x) % n, y, z] } }
        let flippedRun = try MonoRes.run(half1: flip(h1), half2: flip(h2), mask: flip(mask))
        let flipped = flippedRun.resolution
        // FFTs of mirrored data round differently in the last bits, which could flip a voxel
        // sitting exactly at the noise threshold by one step; allow for that, and nothing more.
        var mismatches = 0, assigned = 0
        var sumBase = 0.0, sumFlipped = 0.0
        for z in 0..<n { for y in 0..<n { for x in 1..<n where base[x, y, z] > 0 {
            assigned += 1
            sumBase += Double(base[x, y, z]); sumFlipped += Double(flipped[n - x, y, z])
            if abs(flipped[n - x, y, z] - base[x, y, z]) > 0.01 { mismatches += 1 }
        } } }
        print("mirror: \(mismatches) of \(assigned) voxels differ by more than 0.01 Å")
        #expect(assigned > 1000)
        #expect(Double(mismatches) < 0.005 * Double(assigned), "\(mismatches) of \(assigned) differ")
        #expect(abs(sumBase - sumFlipped) / sumBase < 1e-4)
        func affine(_ v: Volume) -> Volume { var o = v; for i in 0..<o.voxels.count { o.voxels[i] = 3 * o.voxels[i] + 7 }; return o }
        let scaled = try MonoRes.run(half1: affine(h1), half2: affine(h2), mask: mask).resolution
        var differ = 0
        for i in 0..<base.grid.count where abs(scaled.voxels[i] - base.voxels[i]) > 0.05 { differ += 1 }
        #expect(Double(differ) < 0.02 * Double(assigned))
    }

    @Test("bad input: mismatched grids, an empty mask, nonsense parameters")
    func badInput() {
        let grid = VoxelGrid(cube: 16, voxel: 1)
        let a = Phantom.addNoise(Volume(grid: grid), sd: 1, seed: 1)
        let b = Phantom.addNoise(Volume(grid: VoxelGrid(cube: 16, voxel: 1.2)), sd: 1, seed: 2)
        #expect { try MonoRes.run(half1: a, half2: b, mask: nil) } throws: { "\($0)".contains("grid") }
        #expect { try MonoRes.run(half1: a, half2: a, mask: Volume(grid: grid)) } throws: { "\($0)".contains("empty") }
        var p = MonoResParameters()
        p.significance = 1.5
        #expect { try MonoRes.run(half1: a, half2: a, mask: nil, parameters: p) } throws: {
            ($0 as? ParameterProblem)?.key == "significance" && "\($0)" == "significance 1.5 must lie strictly between 0.5 and 1"
        }
        p = MonoResParameters()
        p.step = 0.1
        #expect { try MonoRes.run(half1: a, half2: a, mask: nil, parameters: p) } throws: { ($0 as? ParameterProblem)?.key == "step" }
        // The local FSC's refusals name keys, never flags; local_fsc needs two half maps.
        var lp = LocalFSCParameters()
        lp.windowDiameter = 0
        #expect { try LocalFSC.run(half1: a, half2: a, mask: a, parameters: lp) } throws: {
            ($0 as? ParameterProblem)?.key == "window" && !"\($0)".contains("--")
        }
        lp = LocalFSCParameters()
        lp.stepVoxels = 0
        #expect { try LocalFSC.run(half1: a, half2: a, mask: a, parameters: lp) } throws: { ($0 as? ParameterProblem)?.key == "window_step" }
        var both = LocalResolutionParameters()
        both.method = .localFSC
        #expect { try LocalResolutionEstimate.run(half1: a, half2: nil, mask: nil, parameters: both) } throws: {
            ($0 as? ParameterProblem)?.key == "method" && "\($0)".contains("two half maps")
        }
        p = MonoResParameters()
        p.lowResolution = 1.5
        #expect { try MonoRes.run(half1: a, half2: a, mask: nil, parameters: p) } throws: { "\($0)".contains("Nyquist") }
    }
}

@Suite("MonoRes on real data", .enabled(if: SharedData.has("relion_tutorial_betagal/run_half1_class001_unfil.mrc"),
                                        "the shared beta-galactosidase data is absent (set MAPBOOK_DATA)"))
struct MonoResBetagalTests {
    @Test("beta-galactosidase: the median local resolution lies within 1 Å of the global FSC resolution")
    func betagal() throws {
        let h1 = try MRCFile.read(path: SharedData.path("relion_tutorial_betagal/run_half1_class001_unfil.mrc")!).volume
        var h2 = try MRCFile.read(path: SharedData.path("relion_tutorial_betagal/run_half2_class001_unfil.mrc")!).volume
        h2.grid = h1.grid
        let global = try FourierShells(grid: h1.grid).fsc(FFT.forward(h1), FFT.forward(h2)).resolution(at: .goldStandard).interpolatedResolution
        // MonoRes's own automatic mask (xmipp's: Gaussian low-pass of 0.02·box, 5 % of the
        // maximum). RELION's post-processing mask binarised at 0.5 also takes in its 3-voxel
        // extension and soft edge, mostly solvent, which MonoRes rightly rates coarse (median
        // 9.3 Å with it).
        let out = try MonoRes.run(half1: h1, half2: h2, mask: nil)
        print("betagal MonoRes: median \(out.summary.median) Å (5–95 %: \(out.summary.percentile5)–\(out.summary.percentile95)), global FSC \(global) Å, assigned \(out.summary.assignedFraction)")
        #expect(abs(out.summary.median - global) <= 1)
    }
}

@Suite("Working in a box cut around the mask")
struct MonoResCropTests {
    @Test("a small mask in a big box: the cut run agrees with the full-box run")
    func cutAgreesWithFull() throws {
        let truth = Phantom.atoms(n: 64, voxel: 1, count: 600, radius: 10, seed: 9)
        let clean = Phantom.hardLowPass(truth, 4.5)
        let mask = Phantom.sphereMask(truth.grid, radiusVoxels: 11)
        let sd = 0.25 * Phantom.sd(truth, inside: mask)
        let h1 = Phantom.addNoise(clean, sd: sd, seed: 51), h2 = Phantom.addNoise(clean, sd: sd, seed: 52)
        var p = MonoResParameters()
        p.lowResolution = 6
        let box = try #require(SubBox.enclosing(size: truth.grid.size, margin: 9) { mask.voxels[$0] > 0.5 })
        #expect(Double(box.count) <= MonoRes.cropFraction * Double(truth.grid.count), "the test must exercise the cut")
        let cut = try MonoRes.run(half1: h1, half2: h2, mask: mask, parameters: p)
        p.allowCrop = false
        let full = try MonoRes.run(half1: h1, half2: h2, mask: mask, parameters: p)
        print("cut vs full box: medians \(cut.summary.median) / \(full.summary.median) Å")
        #expect(abs(cut.summary.median - full.summary.median) <= 0.3)
        var agree = 0, assigned = 0
        for i in 0..<truth.grid.count where full.resolution.voxels[i] > 0 {
            assigned += 1
            if abs(cut.resolution.voxels[i] - full.resolution.voxels[i]) <= 0.35 { agree += 1 }
        }
        #expect(Double(agree) >= 0.9 * Double(assigned), "\(agree) of \(assigned) within one step")
    }
}

@Suite("Windowed local FSC")
struct LocalFSCTests {
    @Test("two-region phantom: the local FSC tells the 4 Å side from the 8 Å side, and agrees with MonoRes in rank")
    func twoRegions() throws {
        let (clean, mask, signalSD) = MonoResTests.twoRegion
        let h1 = Phantom.addNoise(clean, sd: 0.25 * signalSD, seed: 11), h2 = Phantom.addNoise(clean, sd: 0.25 * signalSD, seed: 12)
        var p = LocalFSCParameters()
        p.windowDiameter = 20
        let local = try LocalFSC.run(half1: h1, half2: h2, mask: mask, parameters: p)
        let medians = MonoResTests().regionMedians(local.resolution)
        print("local FSC two-region medians: \(medians)")
        // A window D Å wide blurs the spectrum by about 1/D Å⁻¹, so a hard resolution cut-off
        // reads finer than it is (this phantom is the extreme case); the two sides must still
        // be told apart clearly.
        #expect(medians.coarse - medians.fine > 0.8)
        #expect(medians.fine > 2 && medians.coarse < 9)
        let mono = try MonoRes.run(half1: h1, half2: h2, mask: mask).resolution
        var a: [Double] = [], b: [Double] = []
        for i in stride(from: 0, to: mask.grid.count, by: 7) where local.resolution.voxels[i] > 0 && mono.voxels[i] > 0 {
            a.append(Double(local.resolution.voxels[i])); b.append(Double(mono.voxels[i]))
        }
        let rho = spearman(a, b)
        print("local FSC vs MonoRes Spearman \(rho)")
        #expect(rho > 0.5)
    }

    /// A window D Å wide blurs the spectrum by about 2/D Å⁻¹ (a Hann window's main lobe),
    /// so a hard resolution cut-off reads finer than it is; on such a phantom the check is that
    /// a uniform resolution gives a uniform map, not the absolute value.
    @Test("a uniform phantom gives a uniform local-FSC map: finite, zero outside the mask, narrow spread")
    func uniform() throws {
        let truth = Phantom.atoms(n: 64, voxel: 1.2, count: 3000, radius: 30, seed: 4)
        let clean = Phantom.hardLowPass(truth, 6)
        let mask = Phantom.sphereMask(truth.grid, radiusVoxels: 20)
        let sd = 0.25 * Phantom.sd(truth, inside: mask)
        var p = LocalFSCParameters()
        p.windowDiameter = 32
        let out = try LocalFSC.run(half1: Phantom.addNoise(clean, sd: sd, seed: 61), half2: Phantom.addNoise(clean, sd: sd, seed: 62), mask: mask, parameters: p)
        let s = out.summary
        print("local FSC, uniform 6 Å: median \(s.median) Å, 5–95 % \(s.percentile5)–\(s.percentile95) Å")
        #expect(s.percentile95 - s.percentile5 < 0.25 * s.median)
        #expect(s.median > 3 && s.median < 7)
        for i in 0..<mask.grid.count {
            let v = out.resolution.voxels[i]
            #expect(v.isFinite && v >= 0)
            if mask.voxels[i] < 0.5 && v != 0 { Issue.record("value outside the mask at \(i)"); break }
        }
    }
}

@Suite("MonoRes on a simulated dataset with known local resolution")
struct MonoResSimulatedTests {
    @Test("radial blur 3.5 → 7 Å on the built-in model: median |error| ≤ 0.5 Å, Spearman ≥ 0.8 inside the mask")
    func knownTruth() throws {
        var p = SimulationParameters()
        p.voxelSize = 1.0
        p.localResolution = LocalResolutionDesign(pattern: .radial, best: 3.5, worst: 7)
        p.fsc.resolution = 3.6
        p.seed = 3
        let data = try DatasetSimulator.make(p)
        let out = try MonoRes.run(half1: data.half1, half2: data.half2, mask: data.mask)
        var errors: [Double] = [], est: [Double] = [], tru: [Double] = []
        for i in 0..<data.mask.grid.count where data.mask.voxels[i] > 0.5 && out.resolution.voxels[i] > 0 {
            let e = Double(out.resolution.voxels[i]), t = Double(data.localResolution.voxels[i])
            guard t > 0 else { continue }
            errors.append(abs(e - t)); est.append(e); tru.append(t)
        }
        errors.sort()
        let medianError = errors[errors.count / 2]
        let rho = spearman(est, tru)
        print("simulated radial dataset \(data.half1.grid.size): median |error| \(medianError) Å, Spearman \(rho), \(errors.count) voxels, MonoRes median \(out.summary.median) Å")
        #expect(medianError <= 0.5)
        #expect(rho >= 0.8)
    }
}

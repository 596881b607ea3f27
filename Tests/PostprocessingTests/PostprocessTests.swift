import Foundation
import Testing
import MapbookCore
import MapModel
import FourierEngine
import Simulation
import Reports
@testable import Postprocessing

/// A random-phase map whose amplitudes fall off as exp(−B0 s²/4): a known Guinier slope.
func randomPhaseMap(grid: VoxelGrid, bFactor: Double, seed: UInt64) -> Volume {
    var rng = SeededGenerator(seed: seed)
    let shells = FourierShells(grid: grid)
    var f = FFT.forward(Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) })
    // Flatten amplitudes to 1, keeping the (random) phases, then impose the envelope on every
    // coefficient, corners included (SpectralFilter would zero those, as RELION does).
    let hCount = grid.size.x / 2 + 1
    for l in 0..<grid.size.z { for k in 0..<grid.size.y { for h in 0..<hCount {
        let i = h + hCount * (k + grid.size.y * l)
        let c = f.coefficients[i]
        let a = c.magnitude
        let g = Float(exp(-bFactor / 4 * (shells.sx2[h] + shells.sy2[k] + shells.sz2[l])))
        f.coefficients[i] = a > 0 ? ComplexF(g * c.re / a, g * c.im / a) : .zero
    } } }
    return FFT.backward(f)
}

@Suite("Post-processing")
struct PostprocessTests {
    @Test("Guinier fit recovers a known B: random phases, envelope B0 = 100, FSC ≡ 1 → B = −100 ± 2")
    func knownB() throws {
        let grid = VoxelGrid(cube: 64, voxel: 1.0)
        let map = randomPhaseMap(grid: grid, bFactor: 100, seed: 3)
        var p = PostprocessParameters()
        p.bFactor = .automatic(lowResolution: 10, highResolution: nil)
        let out = try Postprocess.run(half1: map, half2: map, mask: .none, parameters: p)
        let fit = try #require(out.report.guinierFit)
        #expect(abs(fit.bFactor + 100) < 2, "B = \(fit.bFactor)")
        #expect(fit.correlation > 0.99)
        // The sharpened map's Guinier plot is flat over the fitted range (but for the outermost
        // shell, which sharpening half-empties by zeroing everything beyond Nyquist).
        let sharp = out.report.guinierSharpened
        let ys = zip(sharp.frequencySquared, sharp.logAmplitude).dropLast().filter { 1 / $0.0.squareRoot() <= 10 }.compactMap { $0.1 }
        #expect(ys.max()! - ys.min()! < 0.15)
    }

    func pair(seed: UInt64 = 5) throws -> SyntheticPair {
        var p = SyntheticPairParameters()
        p.size = 64; p.voxelSize = 1.5; p.resolution = 5.0; p.atoms = 2500; p.seed = seed
        return try SyntheticPairGenerator.make(p)
    }

    @Test("with a mask of ones the masked FSC equals the unmasked one and the corrected one follows it")
    func onesMask() throws {
        let pr = try pair()
        let ones = Volume(grid: pr.half1.grid) { _, _, _ in 1 }
        let out = try Postprocess.run(half1: pr.half1, half2: pr.half2, mask: .supplied(ones))
        let r = out.report
        let masked = try #require(r.fscMasked)
        // Equal up to float rounding: the masked copies are transformed in place and the halves
        // (still held by `pr`) out of place, by FFTW plans that may round differently.
        for i in 0..<masked.shellCount { #expect(abs(masked.fsc[i] - r.fscUnmasked.fsc[i]) < 1e-6, "shell \(i)") }
        for i in 1..<r.fscCorrected.shellCount {
            #expect(abs(r.fscCorrected.fsc[i] - r.fscUnmasked.fsc[i]) < 0.05, "shell \(i)")
        }
        #expect(r.randomizationShell != nil)
    }

    /// A sharp-edged mask that cuts through the density convolves the strong low-resolution
    /// signal into high frequencies, where both halves then share it: the masked FSC is
    /// inflated. The phase-randomised curve measures exactly that share, and FSC_true removes it.
    /// A soft mask around the whole molecule shows (almost) no such effect.
    @Test("a sharp mask inflates the masked FSC; phase randomisation measures and removes the inflation")
    func sharpVersusSoft() throws {
        let pr = try pair(seed: 11)
        let grid = pr.half1.grid
        let n = grid.size.x
        let c = Double(n - 1) / 2
        func sphere(_ radius: Double) -> [Bool] {
            (0..<grid.count).map { i in
                let d = SIMD3(Double(i % n), Double((i / n) % n), Double(i / (n * n))) - SIMD3(repeating: c)
                return (d * d).sum() <= radius * radius
            }
        }
        // The phantom fills a sphere of radius 0.6·n/2 ≈ 19 voxels.
        let sharp = SoftMask.fromBinary(sphere(10), grid: grid, extendVoxels: 0, softEdgeVoxels: 0)
        let soft = SoftMask.fromBinary(sphere(22), grid: grid, extendVoxels: 0, softEdgeVoxels: 8)
        let t = try Postprocess.run(half1: pr.half1, half2: pr.half2, mask: .supplied(sharp)).report
        let s = try Postprocess.run(half1: pr.half1, half2: pr.half2, mask: .supplied(soft)).report
        let shells = t.fscCorrected.shellCount
        let outer = (shells * 3 / 4)..<shells
        func mean(_ c: FSCCurve?, _ r: Range<Int>) -> Double { r.map { c!.fsc[$0] }.reduce(0, +) / Double(r.count) }
        let sharpRandom = mean(t.fscRandomizedMasked, outer)
        let softRandom = mean(s.fscRandomizedMasked, outer)
        #expect(sharpRandom > 0.1, "random-phase FSC under the sharp mask: \(sharpRandom)")
        #expect(abs(softRandom) < 0.05, "random-phase FSC under the soft mask: \(softRandom)")
        // The correction takes the inflation out of the sharp-mask curve...
        #expect(mean(t.fscMasked, outer) - mean(t.fscCorrected, outer) > 0.08)
        // ...while the soft mask needs (almost) no correction. (The sharp mask's corrected curve
        // stays somewhat above the soft one out there, and rightly: it excludes far more solvent
        // noise than signal, which raises the true SNR inside it.)
        #expect(abs(mean(s.fscMasked, outer) - mean(s.fscCorrected, outer)) < 0.02)
        #expect(mean(t.fscCorrected, outer) < 0.15)
    }

    @Test("an undefined FSC is an error naming the input: zero or constant half map, all-zero mask, mask off the density")
    func undefinedFSC() throws {
        var p = SyntheticPairParameters()
        p.size = 32; p.voxelSize = 2; p.resolution = 8; p.atoms = 300; p.seed = 3
        let pr = try SyntheticPairGenerator.make(p)
        let grid = pr.half1.grid
        var constant = Volume(grid: grid)
        for i in 0..<constant.voxels.count { constant.voxels[i] = 0.25 }
        #expect { try Postprocess.run(half1: pr.half1, half2: Volume(grid: grid), mask: .none) } throws: { e in
            "\(e)" == "half map 2: the map is constant (every voxel 0.0): its FSC is undefined"
        }
        #expect { try Postprocess.run(half1: constant, half2: pr.half2, mask: .none, names: PostprocessInputNames(half1: "h1.mrc", half2: "h2.mrc")) } throws: { e in
            "\(e)" == "h1.mrc: the map is constant (every voxel 0.25): its FSC is undefined"
        }
        #expect { try Postprocess.run(half1: pr.half1, half2: pr.half2, mask: .supplied(Volume(grid: grid)), names: PostprocessInputNames(mask: "m.mrc")) } throws: { e in
            "\(e)" == "m.mrc: the mask is all zero: the masked FSC is undefined"
        }
        // Half maps that are zero in the lower half of the box, a mask only there: the masked
        // halves are all zero.
        var (a, b) = (pr.half1, pr.half2)
        var lower = Volume(grid: grid)
        for z in 0..<grid.size.z / 2 { for y in 0..<grid.size.y { for x in 0..<grid.size.x {
            a[x, y, z] = 0; b[x, y, z] = 0; lower[x, y, z] = 1
        } } }
        #expect { try Postprocess.run(half1: a, half2: b, mask: .supplied(lower), names: PostprocessInputNames(mask: "lower.mrc")) } throws: { e in
            "\(e)".hasPrefix("lower.mrc: the masked half maps have no power above rounding level at the lowest resolution")
        }
    }

    @Test("half maps low-passed at 8 Å: undefined beyond, the resolution is where the data end, no weight there; JSON null, XML and TSV leave them out")
    func lowPassedHalves() throws {
        var pp = SyntheticPairParameters()
        pp.size = 48; pp.voxelSize = 1.5; pp.resolution = 5; pp.atoms = 1500; pp.seed = 8
        let pr = try SyntheticPairGenerator.make(pp)
        let shells = FourierShells(grid: pr.half1.grid)
        func lowPassed(_ v: Volume) -> Volume {
            var f = FFT.forward(v)
            shells.apply(SpectralFilter(lowPass: 8, lowPassEdgeShells: 2), to: &f)
            return FFT.backward(f)
        }
        // The gain is 0 from radius L/8 + 1 = 10 on: shell 10 ([9.5, 10.5)) is the last with power.
        let last = 10
        let r = try Postprocess.run(half1: lowPassed(pr.half1), half2: lowPassed(pr.half2), mask: .none).report
        #expect((1...last).allSatisfy { r.fscUnmasked.isDefined($0) })
        #expect(((last + 1)..<shells.shellCount).allSatisfy { !r.fscUnmasked.isDefined($0) })
        #expect(r.resolution.status == .dataEnds && r.resolution.lastShellAbove == last, "\(r.resolution.summary)")
        #expect(abs(r.resolution.shellResolution - 72.0 / Double(last)) < 1e-9)
        let w = try #require(r.fscWeights)
        #expect(w[1...last].allSatisfy { $0 > 0 } && w[(last + 1)...].allSatisfy { $0 == 0 })
        let json = try JSONSerialization.jsonObject(with: JSONOutput.encode(r)) as! [String: Any]
        let values = (json["fscUnmasked"] as! [String: Any])["fsc"] as! [Any]
        #expect(values[last] is Double && values[last + 1] is NSNull)
        let xml = EMDBFSCXML.document(r.fscCorrected, title: "t")
        #expect(xml.components(separatedBy: "<coordinate>").count - 1 == last)
        let rows = FSCTable.text(r.fscReport).split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows[last][3] != "" && rows[last + 1][3] == "")
    }

    @Test("nonsense parameters and mismatched grids are refused")
    func badInput() throws {
        let pr = try pair()
        var p = PostprocessParameters()
        p.randomizeAtFSC = 1.5
        // The library names the parameter by its key, never by a command-line flag.
        #expect { try Postprocess.run(half1: pr.half1, half2: pr.half2, mask: .none, parameters: p) } throws: { e in
            (e as? ParameterProblem)?.key == "randomize_at_fsc" && !"\(e)".contains("--")
        }
        var other = pr.half2
        other.grid.voxelSize = SIMD3(repeating: 1.6)
        #expect { try Postprocess.run(half1: pr.half1, half2: other, mask: .none) } throws: { e in
            "\(e)".contains("half maps do not share a grid")
        }
        // RELION-like tiny origin differences are accepted.
        var shifted = pr.half2
        shifted.grid.origin = SIMD3(repeating: 0.0005)
        #expect(throws: Never.self) { try Postprocess.run(half1: pr.half1, half2: shifted, mask: .none) }
    }
}

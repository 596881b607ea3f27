import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
@testable import Simulation

/// The measured half-map FSC of a dataset.
func measuredFSC(_ d: SimulatedDataset) -> FSCCurve {
    FourierShells(grid: d.half1.grid).fsc(FFT.forward(d.half1), FFT.forward(d.half2))
}

@Suite("Simulated datasets: FSC design")
struct FSCDesignTests {
    @Test("exact noise: the half-map FSC equals the requested curve in every shell", arguments: [FSCShape.whiteNoise, .logistic])
    func exactFSC(shape: FSCShape) throws {
        var p = SimulationParameters()
        p.fsc = FSCDesign(shape: shape, resolution: 4.5)
        p.localResolution = LocalResolutionDesign(pattern: .split, best: 3.5, worst: 6)
        let d = try DatasetSimulator.make(p)
        let fsc = measuredFSC(d)
        var worst = 0.0, compared = 0
        for s in d.record.shells.dropFirst() {
            // Beyond the best local resolution the truth has no signal left: the design there is
            // "no correlation", whatever the logistic asks.
            // So is a requested FSC below 10⁻³, where the noise power stops growing.
            let designed = s.signalPower > 1e-9 * d.record.shells[1].signalPower && s.requestedFSC > 1e-3
            let target = designed ? s.requestedFSC : s.expectedFSC
            if designed { #expect(abs(s.expectedFSC - s.requestedFSC) < 1e-9) } else { #expect(s.expectedFSC < 0.01) }
            worst = max(worst, abs(fsc.fsc[s.shell] - target))
            compared += 1
        }
        print(String(format: "exact %@ FSC, 64³: max |measured − requested| = %.2e over %d shells", shape.rawValue, worst, compared))
        #expect(worst < 1e-5)
        #expect(abs(try fsc.resolution(at: .goldStandard).interpolatedResolution - 4.5) < 0.05)
    }

    @Test("natural noise: the FSC scatters about the design within 0.03 where shells have enough coefficients")
    func naturalFSC() throws {
        // 128³ at 1 Å. A correlation from n independent real numbers scatters by about
        // (1 − F²)/√n, and a shell of full-sphere count c holds c of them (real and imaginary
        // parts of c/2 independent coefficients), so shells with 3·(1 − F²)/√c ≤ 0.03 are
        // compared: every shell from about radius 28 out, and inner ones where F is high.
        var p = SimulationParameters()
        p.size = 128
        p.exactFSC = false
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        let d = try DatasetSimulator.make(p)
        let fsc = measuredFSC(d)
        var worst = 0.0, compared = 0
        for s in d.record.shells.dropFirst() where 3 * (1 - s.expectedFSC * s.expectedFSC) / s.coefficients.squareRoot() <= 0.03 {
            worst = max(worst, abs(fsc.fsc[s.shell] - s.requestedFSC))
            compared += 1
        }
        print(String(format: "natural white-noise FSC, 128³: max |measured − requested| = %.4f over %d of %d shells", worst, compared, d.record.shells.count - 1))
        #expect(compared >= 40)
        #expect(worst <= 0.03)
    }

    @Test("noise power per shell: N = S(1/F − 1), carried on where the signal vanishes")
    func noisePower() {
        let n = NoiseShaper.noisePower(signal: [5, 4, 2, 1, 0, 0], fsc: [1, 0.8, 0.5, 0.2, 0.1, 0.1])
        #expect(n[0] == 0)
        #expect(abs(n[1] - 1) < 1e-12 && abs(n[2] - 2) < 1e-12 && abs(n[3] - 4) < 1e-12)
        #expect(n[4] == 4 && n[5] == 4)
    }
}

@Suite("Simulated datasets: known local resolution")
struct LocalResolutionTruthTests {
    /// Where the amplitude transfer between `blurred` and `sharp`, both multiplied by `zone`,
    /// falls through 0.5 (Å): the resolution of the blur inside the zone.
    func transferCrossing(blurred: Volume, sharp: Volume, zone: Volume) -> Double {
        var a = blurred, b = sharp
        for i in 0..<a.voxels.count { a.voxels[i] *= zone.voxels[i]; b.voxels[i] *= zone.voxels[i] }
        let shells = FourierShells(grid: a.grid)
        let fa = FFT.forward(a), fb = FFT.forward(b)
        let cross = shells.crossPower(fa, fb), power = shells.crossPower(fb, fb)
        let transfer = (0..<shells.shellCount).map { power[$0] > 0 ? cross[$0] / power[$0] : 0 }
        for i in 2..<shells.shellCount where transfer[i] < 0.5 {
            let f = shells.frequency(i - 1) + (shells.frequency(i) - shells.frequency(i - 1)) * (transfer[i - 1] - 0.5) / (transfer[i - 1] - transfer[i])
            return 1 / f
        }
        return shells.nyquistResolution
    }

    @Test("split design: each half of the molecule is blurred to its own resolution, and the truth map says so")
    func split() throws {
        var p = SimulationParameters()
        p.size = 72
        p.localResolution = LocalResolutionDesign(pattern: .split, best: 3.5, worst: 7, transitionWidth: 6)
        p.fsc = FSCDesign(resolution: 4)
        let d = try DatasetSimulator.make(p)
        let sharp = try ModelMap.density(of: d.model, on: d.truth.grid)
        let local = d.localResolution
        let mask = d.mask
        // The truth map: 0 outside the molecule, the design's values inside.
        let molecule = ModelMask.binary(d.model, grid: local.grid, radius: p.maskRadius)
        for i in 0..<local.voxels.count {
            if !molecule[i] { #expect(local.voxels[i] == 0) } else { #expect(local.voxels[i] >= 3.5 - 1e-4 && local.voxels[i] <= 7 + 1e-4) }
        }
        #expect(d.record.localResolutionRange[0] < 3.6 && d.record.localResolutionRange[1] > 6.9)
        // Zones: where the truth map says best (or worst), softened by 3 voxels.
        var results: [(Double, Double)] = []
        for target in [3.5, 7.0] {
            let zone = (0..<local.voxels.count).map { i in molecule[i] && abs(Double(local.voxels[i]) - target) < 0.02 * target }
            #expect(zone.filter { $0 }.count > 2000, "zone at \(target) Å is too small")
            var soft = SoftMask.fromBinary(zone, grid: local.grid, extendVoxels: 0, softEdgeVoxels: 3)
            for i in 0..<soft.voxels.count { soft.voxels[i] *= max(mask.voxels[i], 0) }
            let measured = transferCrossing(blurred: d.truth, sharp: sharp, zone: soft)
            results.append((target, measured))
            #expect(abs(measured - target) < 0.1 * target, "zone \(target) Å: the blur measured there crosses 0.5 at \(measured) Å")
        }
        print("split local resolution, 72³: " + results.map { String(format: "zone %.1f Å → measured %.2f Å", $0.0, $0.1) }.joined(separator: "; "))
        // The half maps agree: in the 7 Å zone their local FSC has fallen to noise well before
        // 4 Å, while in the 3.5 Å zone it is still high at 5 Å.
        func zoneFSC(_ target: Double) -> FSCCurve {
            let zone = (0..<local.voxels.count).map { i in molecule[i] && abs(Double(local.voxels[i]) - target) < 0.02 * target }
            let soft = SoftMask.fromBinary(zone, grid: local.grid, extendVoxels: 0, softEdgeVoxels: 3)
            var h1 = d.half1, h2 = d.half2
            for i in 0..<h1.voxels.count { h1.voxels[i] *= soft.voxels[i]; h2.voxels[i] *= soft.voxels[i] }
            return FourierShells(grid: h1.grid).fsc(FFT.forward(h1), FFT.forward(h2))
        }
        let shells = FourierShells(grid: local.grid)
        let sharpZone = zoneFSC(3.5), blurredZone = zoneFSC(7)
        let at5 = shells.shell(atResolution: 5), at4 = shells.shell(atResolution: 4)
        print(String(format: "local half-map FSC at 5 Å: %.3f in the 3.5 Å zone, %.3f in the 7 Å zone; at 4 Å: %.3f, %.3f",
                     sharpZone.fsc[at5], blurredZone.fsc[at5], sharpZone.fsc[at4], blurredZone.fsc[at4]))
        #expect(sharpZone.fsc[at5] > 0.5)
        #expect(abs(blurredZone.fsc[at4]) < 0.15)
    }

    @Test("radial design: the centre is sharper than the periphery")
    func radial() throws {
        var p = SimulationParameters()
        p.localResolution = LocalResolutionDesign(pattern: .radial, best: 3.5, worst: 8)
        p.fsc = FSCDesign(resolution: 5)
        let d = try DatasetSimulator.make(p)
        let centre = SIMD3(d.record.modelCentre[0], d.record.modelCentre[1], d.record.modelCentre[2])
        let g = d.localResolution.grid
        var inner: [Float] = [], outer: [Float] = []
        for z in 0..<g.size.z { for y in 0..<g.size.y { for x in 0..<g.size.x {
            let v = d.localResolution[x, y, z]
            guard v > 0 else { continue }
            let p = g.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * g.voxelSize
            let r = ((p - centre) * (p - centre)).sum().squareRoot() / d.record.modelRadius
            if r < 0.3 { inner.append(v) } else if r > 0.8 { outer.append(v) }
        } } }
        let meanInner = inner.reduce(0, +) / Float(inner.count), meanOuter = outer.reduce(0, +) / Float(outer.count)
        print(String(format: "radial local resolution: %.2f Å near the centre, %.2f Å at the periphery", meanInner, meanOuter))
        #expect(meanInner < 4.2 && meanOuter > 6.5)
    }

    @Test("domains design with a B-factor envelope: the truth stays sharp, alternate chains are attenuated, and the local resolution says which")
    func domainsEnvelope() throws {
        var p = SimulationParameters()
        p.localResolution = .bfactorEnvelope(.domains, sharp: 20, blurred: 200, transitionWidth: 3)
        p.fsc = FSCDesign(resolution: 3)
        let d = try DatasetSimulator.make(p)
        // The truth is the model map itself, unattenuated.
        let modelMap = try ModelMap.density(of: d.model, on: d.truth.grid)
        #expect(d.truth.voxels.elementsEqual(modelMap.voxels))
        #expect(d.record.envelopeBFactors?.first == 20 && d.record.envelopeBFactors?.last == 200)
        let r = try #require(d.record.envelopeResolutions)
        #expect(zip(r, r.dropFirst()).allSatisfy { $0 < $1 }, "more attenuation, worse resolution: \(r)")
        // Per chain: the local-resolution truth, and how the half-map signal correlates with the
        // truth there (the attenuated chains lose their detail).
        let grid = d.truth.grid
        func chainZone(_ id: String) -> [Bool] {
            var m = d.model
            m.atoms = d.model.atoms.filter { $0.chainID == id }
            return ModelMask.binary(m, grid: grid, radius: 1.5)
        }
        let average = Volume(grid: grid, voxels: AlignedArray(zip(d.half1.voxels, d.half2.voxels).map { ($0 + $1) / 2 }))
        var summary: [String] = []
        var resolutionA = 0.0, resolutionB = 0.0, ccA = 0.0, ccB = 0.0
        for id in ["A", "B"] {
            let zone = chainZone(id)
            let inside = (0..<zone.count).filter { zone[$0] }
            let meanResolution = inside.map { Double(d.localResolution.voxels[$0]) }.reduce(0, +) / Double(inside.count)
            let cc = average.correlation(with: d.truth, where: zone)
            summary.append(String(format: "chain %@: local resolution %.2f Å, CC(average, truth) %.3f", id, meanResolution, cc))
            if id == "A" { (resolutionA, ccA) = (meanResolution, cc) } else { (resolutionB, ccB) = (meanResolution, cc) }
        }
        print("domains with a B envelope (20 / 200 Å²): " + summary.joined(separator: "; "))
        #expect(resolutionB - resolutionA > 1, "the blurred chains' local resolution is not worse")
        #expect(ccA - ccB > 0.05, "the attenuated chain does not correlate worse with the truth")
        #expect(abs(resolutionA - r.first!) < 0.3 && abs(resolutionB - r.last!) < 0.3)
    }
}

@Suite("Simulated datasets: determinism, options, inputs")
struct DatasetSimulatorTests {
    @Test("the same seed gives the same bytes; another seed changes only the noise")
    func determinism() throws {
        var p = SimulationParameters()
        p.size = 48
        p.builtInModel.residuesPerHelix = 16
        p.localResolution = LocalResolutionDesign(pattern: .radial, best: 3.5, worst: 6)
        p.solventNoiseScale = 2
        p.maskedHalves = true
        let a = try DatasetSimulator.make(p), b = try DatasetSimulator.make(p)
        for (x, y) in [(a.truth, b.truth), (a.half1, b.half1), (a.half2, b.half2), (a.localResolution, b.localResolution), (a.mask, b.mask)] {
            #expect(x.voxels.array.map(\.bitPattern) == y.voxels.array.map(\.bitPattern))
        }
        #expect(a.record == b.record)
        p.seed = 2
        let c = try DatasetSimulator.make(p)
        #expect(c.truth.voxels.array == a.truth.voxels.array)
        #expect(c.half1.voxels.array != a.half1.voxels.array)
        #expect(c.record.noiseSeeds != a.record.noiseSeeds)
    }

    @Test("masked halves are exactly zero outside the mask; solvent noise can differ from the molecule's")
    func maskedAndSolventNoise() throws {
        var p = SimulationParameters()
        p.size = 48
        p.builtInModel.residuesPerHelix = 16
        p.maskedHalves = true
        p.solventNoiseScale = 3
        let d = try DatasetSimulator.make(p)
        let (m1, m2) = try #require(d.maskedHalves)
        for i in 0..<m1.voxels.count where d.mask.voxels[i] == 0 { #expect(m1.voxels[i] == 0 && m2.voxels[i] == 0) }
        #expect(m1.voxels.array.contains { $0 != 0 })
        // Noise (half − truth) is about 3× stronger in the solvent than inside the molecule.
        var inside = (0.0, 0.0), outside = (0.0, 0.0)
        for i in 0..<d.half1.voxels.count {
            let n = Double(d.half1.voxels[i] - d.truth.voxels[i])
            if d.mask.voxels[i] == 1 { inside.0 += n * n; inside.1 += 1 } else if d.mask.voxels[i] == 0 { outside.0 += n * n; outside.1 += 1 }
        }
        let ratio = (outside.0 / outside.1 / (inside.0 / inside.1)).squareRoot()
        print(String(format: "solvent/molecule noise amplitude with --solvent-noise 3: %.2f", ratio))
        #expect(ratio > 2 && ratio < 4)
        // The FSC design still holds.
        let fsc = measuredFSC(d)
        for s in d.record.shells.dropFirst() { #expect(abs(fsc.fsc[s.shell] - s.expectedFSC) < 1e-5, "shell \(s.shell): \(fsc.fsc[s.shell]) vs \(s.expectedFSC), S \(s.signalPower) N \(s.noisePower)") }
    }

    @Test("a supplied model: the box is fitted around it, or taken from a map's grid")
    func suppliedModel() throws {
        let bundle = try HelixBundle.make(HelixBundleParameters())
        let moved = bundle.translated(by: SIMD3(100, -20, 7.3))
        var p = SimulationParameters()
        p.voxelSize = 1.5
        let d = try DatasetSimulator.make(p, model: moved, modelSource: "moved.pdb")
        let g = d.truth.grid
        #expect(d.record.modelSource == "moved.pdb")
        #expect(g.size.x % 2 == 0 && g.voxelSize.x == 1.5)
        let b = d.model.bounds
        #expect((b.min - g.firstVoxelPosition).min() >= 9 && (g.firstVoxelPosition + g.boxLength - b.max).min() >= 8)
        // The origin is a whole number of voxels, so the grid lines up with one through 0.
        let steps = g.firstVoxelPosition / g.voxelSize
        #expect(abs(steps - steps.rounded(.toNearestOrEven)).max() < 1e-9)
        let like = VoxelGrid(size: SIMD3(40, 44, 48), voxelSize: SIMD3(repeating: 1.2), origin: SIMD3(80, -45, -20))
        let e = try DatasetSimulator.make(p, model: moved, grid: like)
        #expect(e.truth.grid == like)
    }

    @Test("bad parameters are refused naming their key, in the library's words (no flags)")
    func refused() {
        /// The key of the parameter `body` refuses; nil when it throws no `ParameterProblem`.
        func refusedKey(_ p: SimulationParameters) -> String? {
            do { _ = try DatasetSimulator.make(p); return nil } catch let e as ParameterProblem {
                #expect(!e.description.contains("--"), "\(e)")
                return e.key
            } catch { return nil }
        }
        var p = SimulationParameters()
        p.size = 24
        #expect(refusedKey(p) == "size") // the model does not fit
        p.size = 48
        p.builtInModel.residuesPerHelix = 16
        p.fsc.resolution = 1.5
        #expect(refusedKey(p) == "resolution") // finer than Nyquist
        p.fsc.resolution = 6
        p.localResolution = LocalResolutionDesign(pattern: .split, best: 5, worst: 4)
        #expect(refusedKey(p) == "worst_resolution")
        p.fsc.resolution = 4
        p.localResolution = LocalResolutionDesign(pattern: .split, best: 4.5, worst: 6)
        #expect(refusedKey(p) == "resolution") // FSC resolution finer than best
        p.localResolution = LocalResolutionDesign(pattern: .split, best: 1.5, worst: 6)
        p.fsc.resolution = 4
        p.voxelSize = 1
        #expect(refusedKey(p) == "best_resolution") // finer than Nyquist
        p = SimulationParameters()
        p.size = 4
        #expect(refusedKey(p) == "size")
        p = SimulationParameters()
        p.maskEdge = -1
        #expect(refusedKey(p) == "mask_edge")
        p = SimulationParameters()
        p.builtInModel.helices = 13
        #expect(refusedKey(p) == "helices")
    }

    @Test("a synthetic pair's parameters are checked by key")
    func syntheticPairRefused() throws {
        var p = SyntheticPairParameters()
        p.voxelSize = 2; p.resolution = 3
        #expect { try SyntheticPairGenerator.make(p) } throws: { e in
            guard let q = e as? ParameterProblem else { return false }
            return q.key == "resolution" && q.reason.contains("Nyquist") && !q.description.contains("--")
        }
        p = SyntheticPairParameters()
        p.size = 4
        #expect { try SyntheticPairGenerator.make(p) } throws: { ($0 as? ParameterProblem)?.key == "size" }
        #expect(p.atomCount == 500 && SyntheticPairParameters().atomCount == SyntheticPairParameters.defaultAtoms(size: 64))
    }

    @Test("the parameters are declared once: keys, defaults, and the JSON record's names")
    func declared() throws {
        let keys = SimulationParameters.declarations.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains("helix_residues") && keys.contains("resolution") && keys.contains("local_pattern") && keys.contains("exact_fsc"))
        let p = try SimulationParameters(parameterTexts: ["helix_residues": "16", "local_pattern": "radial", "exact_fsc": "false", "size": "48"])
        var q = SimulationParameters()
        q.builtInModel.residuesPerHelix = 16
        q.localResolution.pattern = .radial
        q.exactFSC = false
        q.size = 48
        #expect(p == q)
        #expect(SimulationParameters.declaration("size")?.defaultText == "none")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(q)) as! [String: Any]
        #expect((json["builtInModel"] as? [String: Any])?["residuesPerHelix"] as? Int == 16)
        #expect(try JSONDecoder().decode(SimulationParameters.self, from: JSONEncoder().encode(q)) == q)
    }
}

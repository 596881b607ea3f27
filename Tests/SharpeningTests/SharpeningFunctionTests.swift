import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
import Simulation
@testable import Sharpening
import HalfMapSharpening

/// A blurred blob of point scatterers on a 48³ grid (Simulation's synthetic truth).
func smallTestMap(size: Int = 48, voxel: Double = 1.5, seed: UInt64 = 3) throws -> Volume {
    var p = SyntheticPairParameters()
    p.size = size; p.voxelSize = voxel; p.resolution = 5; p.atoms = 1500; p.seed = seed; p.signalBFactor = 120
    return try SyntheticPairGenerator.make(p).half1
}

@Suite("Sharpening functions")
struct SharpeningFunctionTests {
    @Test("B then −B returns the map below the cut-off (CC > 0.9999), and phases are unchanged")
    func roundTrip() throws {
        let map = try smallTestMap()
        let resolution = 4.0
        for b in [-80.0, -150.0, 60.0] {
            let there = try AutoSharpen.apply(.bIso(b), to: map, resolution: resolution)
            let back = try AutoSharpen.apply(.bIso(-b), to: there, resolution: resolution)
            // The reference went through the same cut-off twice.
            let reference = try AutoSharpen.apply(.bIso(0), to: try AutoSharpen.apply(.bIso(0), to: map, resolution: resolution), resolution: resolution)
            let cc = Volume.correlation(back, reference)
            #expect(cc > 0.9999, "B \(b): CC \(cc)")
        }
        // Phases: every coefficient is multiplied by a real, non-negative factor.
        let shells = FourierShells(grid: map.grid)
        let before = FFT.forward(map)
        let cutoff = SharpeningCutoff(nominalResolution: resolution, grid: map.grid)
        let methods: [SharpeningSettings] = [
            .bIso(-100), .bIsoToDCut(-100, dCut: resolution), .resolutionDependent(b0: 0.5, b1: -0.5, b2: -2, resolution: resolution),
            .shellScale(.halfMap, frequencies: [0, 0.1, 0.3], scales: [1, 0.7, 0.2]),
        ]
        for s in methods {
            var after = before
            s.apply(to: &after, shells: shells, cutoff: cutoff)
            var worst = 0.0, checked = 0
            for i in 0..<before.coefficients.count {
                let a = before.coefficients[i], c = after.coefficients[i]
                guard a.magnitude > 1e-4 * 1e-2, c.magnitude > 1e-12 else { continue }
                let phase = atan2(Double(a.im), Double(a.re)), phase2 = atan2(Double(c.im), Double(c.re))
                var d = abs(phase - phase2)
                if d > Double.pi { d = 2 * Double.pi - d }
                worst = max(worst, d)
                checked += 1
            }
            #expect(checked > 1000)
            #expect(worst < 1e-4, "\(s.method.rawValue): phase moved by \(worst) rad")
        }
    }

    @Test("b_iso_to_d_cut: B above d_cut + 1 Å, B + blur below d_cut − 1 Å, the mean exactly at d_cut")
    func dCutSwitch() {
        let s = SharpeningSettings.bIsoToDCut(-80, dCut: 3, kSharpen: 10, blur: 200)
        func f(_ d: Double) -> Double { s.factor(at: 1 / d) }
        // One ångström from d_cut the logistic weight is 1/(1 + e¹⁰) = 4.5e-5 from its limit,
        // which moves the factor by 200 Å² × 4.5e-5 × s²/4: within 1e-3 of the pure exponentials.
        let coarse = 4.0, fine = 2.0
        let tail = 1 / (1 + exp(10.0))
        #expect(abs(f(coarse) / exp(80 / (4 * coarse * coarse)) - 1) < 1e-3)
        #expect(abs(f(fine) / exp(-120 / (4 * fine * fine)) - 1) < 1e-3)
        #expect(abs(s.effectiveB(at: 1 / coarse) - (-80 + 200 * tail)) < 1e-9)
        #expect(abs(s.effectiveB(at: 1 / fine) - (120 - 200 * tail)) < 1e-9)
        #expect(abs(s.effectiveB(at: 1 / 3.0) - 20) < 1e-9, "the mean of −80 and 120")
        #expect(s.factor(at: 0) == 1)
    }

    @Test("resolution_dependent: ln(scale) is 0, b0, b1, b1 + b2 at the knots and linear between")
    func knots() {
        let r = 3.0
        let s = SharpeningSettings.resolutionDependent(b0: 0.7, b1: -0.4, b2: -1.5, resolution: r)
        let x1 = 1 / (8 * r * r), x2 = 1 / (4 * r * r), x3 = 1 / (4 * pow(0.833 * r, 2))
        #expect(abs(s.logScale(stol2: 0)) < 1e-12)
        #expect(abs(s.logScale(stol2: x1) - 0.7) < 1e-12)
        #expect(abs(s.logScale(stol2: x2) + 0.4) < 1e-12)
        #expect(abs(s.logScale(stol2: x3) + 1.9) < 1e-12)
        #expect(abs(s.logScale(stol2: (x1 + x2) / 2) - 0.15) < 1e-12)
        // Without whitening the factor is exp(ln scale) at stol² = s²/4.
        #expect(abs(s.factor(at: (4 * x2).squareRoot()) - exp(-0.4)) < 1e-12)
    }

    @Test("half-map scales: identical halves get exp((B − B_target) q²/4) (max 1); halves that stop agreeing get zero there")
    func halfMapScales() throws {
        let map = try smallTestMap()
        let shells = FourierShells(grid: map.grid)
        let f = FFT.forward(map)
        let same = ShellAmplitudeScale.halfMap(map: f, half1: f, half2: f, shells: shells).settings
        let scales = try #require(same.shellScales)
        #expect(abs(scales[1...].max()! - 1) < 1e-12)
        // No noise: FSC_full is 1 and only the envelope is divided out, to the target's.
        let bins = HalfMapBin.shells(f, f, shells: shells)
        let cross = bins.map(\.cross)
        let model = try #require(SignalModel.fit(bins))
        let expected = (0..<shells.shellCount).map { i in exp((model.bFactor - HalfMapSharpeningParameters().targetBFactor) * pow(shells.frequency(i), 2) / 4) }
        let peak = expected[1...].max()!
        for i in 1..<shells.shellCount where cross[i] > 0 { #expect(abs(scales[i] - expected[i] / peak) < 1e-9) }

        // Half 2 = half 1 low-passed at 8 Å: past the cut-off it holds nothing (exact zeros
        // here; after a round trip through real space, rounding residue), so the FSC there is
        // undefined — not a residue correlation whose sign depends on the CPU's FFT code, which
        // could have left a weight in the first shells past the cut — and the scale vanishes.
        var g = f
        shells.apply(SpectralFilter(lowPass: 8, lowPassEdgeShells: 1), to: &g)
        let beyond = (0..<shells.shellCount).filter { shells.resolution($0) < 7 }
        for half2 in [g, FFT.forward(FFT.backward(g))] {
            let cut = ShellAmplitudeScale.halfMap(map: f, half1: f, half2: half2, shells: shells)
            #expect(beyond.allSatisfy { !cut.fsc.isDefined($0) && cut.settings.shellScales![$0] == 0 })
        }
    }
}

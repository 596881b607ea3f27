import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
@testable import LocalSharpening

/// The operator properties of the spec (§2.8.1), for both formulations.
@Suite("LocalDeblur operator")
struct OperatorTests {
    static let grid = VoxelGrid(cube: 48, voxel: 1)

    /// A resolution map varying from 3 to 8 Å across x inside a sphere of radius 18 voxels.
    static let varying = try! Maps.prepared(Maps.sphere(grid, radius: 18) { x, _, _ in 3 + 5 * Double(x) / 47 })

    static func make(_ formulation: DeblurFormulation, _ resolution: PreparedResolutionMap, k: Double = 0.025,
                     nodeSpacing: Double = LocalDeblurParameters().nodeSpacing) throws -> DeblurOperator {
        let grid = resolution.resolution.grid
        let bank = try DeblurFilterBank(voxel: grid.voxelSize.max(), maxResolution: resolution.record.maximum,
                                        referenceLength: grid.boxLength.max(), k: k)
        switch formulation {
        case .filterBank: return FilterBankOperator(bank: bank, resolution: resolution)
        case .interpolated: return InterpolatedDeblurOperator(bank: bank, resolution: resolution, nodeSpacing: nodeSpacing)
        }
    }

    static func apply(_ op: DeblurOperator, _ v: Volume) -> Volume {
        var out = Volume(grid: v.grid)
        op.apply(v, into: &out)
        return out
    }

    @Test("the filter bank follows xmipp: 2s upwards in 0.2 Å steps below max ρ + 2, one band per Fourier shell")
    func bank() throws {
        let bank = try DeblurFilterBank(voxel: 1, maxResolution: 8, referenceLength: 96, k: 0.025)
        let r = bank.bands.map(\.resolution)
        print("bank for N = 96, s = 1, max ρ = 8: \(r.count) bands \(r.map { String(format: "%.1f", $0) }.joined(separator: " "))")
        #expect(r.first == 2 && r.last! < 10)
        // Every kept band has its own shell, and no 0.2 Å step between two kept bands would
        // have had a new one.
        let shells = r.map { Int((96 / $0).rounded()) }
        #expect(Set(shells).count == shells.count)
        let first = bank.bands[0]
        #expect(abs(first.centre - 0.5) < 1e-12 && abs(first.halfWidth - (1 / 1.8 - 0.5)) < 1e-12)
        #expect(bank.gain(band: 0, at: 0.5) == 1 && abs(bank.gain(band: 0, at: 0.5 + first.halfWidth / 2) - 0.5) < 1e-12)
        #expect(bank.transfer(rho: 4, at: 0) == 0 && bank.transfer(rho: 4, at: 0.5 * bank.lowestFrequency) == 0)
        // The weights of a voxel at ρ favour bands near ρ.
        #expect(bank.weight(band: 0, rho: 2) > bank.weight(band: 0, rho: 8))
        #expect { try DeblurFilterBank(voxel: 0.05, maxResolution: 3, referenceLength: 10, k: 0.025) } throws: { "\($0)".contains("too small") }
    }

    @Test("linear, zero for a constant, zero outside the mask", arguments: DeblurFormulation.allCases)
    func basicProperties(formulation: DeblurFormulation) throws {
        let op = try Self.make(formulation, Self.varying)
        let x = Maps.noise(Self.grid, seed: 1), y = Maps.noise(Self.grid, seed: 2)
        var combination = x
        for i in 0..<combination.voxels.count { combination.voxels[i] = 2 * x.voxels[i] - 3 * y.voxels[i] }
        let hx = Self.apply(op, x), hy = Self.apply(op, y), hc = Self.apply(op, combination)
        var expected = hx
        for i in 0..<expected.voxels.count { expected.voxels[i] = 2 * hx.voxels[i] - 3 * hy.voxels[i] }
        let linearity = Maps.relativeMaxDifference(hc, expected)
        let constant = Self.apply(op, Volume(grid: Self.grid, voxels: AlignedArray(repeating: 5, count: Self.grid.count)))
        let constantMax = constant.voxels.map { abs($0) }.max()!
        var outside = 0
        for i in 0..<Self.grid.count where Self.varying.mask.voxels[i] == 0 && hx.voxels[i] != 0 { outside += 1 }
        print("\(formulation.rawValue): linearity error \(linearity), max |H[5]| = \(constantMax), \(outside) nonzero voxels outside the mask")
        #expect(linearity < 1e-5)
        #expect(constantMax < 1e-5)
        #expect(outside == 0)
        #expect(hx.voxels.allSatisfy { $0.isFinite })
    }

    @Test("uniform ρ: white noise comes out with the spectrum |h(u)|² of the band list, and H is self-adjoint",
          arguments: DeblurFormulation.allCases)
    func uniformResolution(formulation: DeblurFormulation) throws {
        let grid = VoxelGrid(cube: 64, voxel: 1.2)
        let uniform = try Maps.prepared(Volume(grid: grid, voxels: AlignedArray(repeating: 4.5, count: grid.count)), detectBackground: false)
        let op = try Self.make(formulation, uniform)
        let bank = try DeblurFilterBank(voxel: 1.2, maxResolution: 4.5, referenceLength: grid.boxLength.max(), k: 0.025)
        let noise = Maps.noise(grid, sd: 1, seed: 7)
        let out = Self.apply(op, noise)
        let fin = FFT.forward(noise), fout = FFT.forward(out)
        let frequency = DigitalFrequency.table(for: grid)
        let shells = FourierShells(grid: grid)
        // Per coefficient: F(H V) = h(u) F(V) (the filter itself, to float precision).
        var worstCoefficient = 0.0, peak = 0.0
        // Radially: power of H[V] against σ²|h|² (white noise of variance 1 has expected power
        // 1/N per coefficient with the 1/N forward normalisation), in bins of 8 shells (the lone Nyquist shell left out: too few coefficients for 2 %).
        let binWidth = 8
        var measured = [Double](repeating: 0, count: shells.shellCount / binWidth + 1), expected = measured
        let n = grid.size, hCount = n.x / 2 + 1
        for l in 0..<n.z { for k in 0..<n.y { for h in 0..<hCount {
            let c = h + hCount * (k + n.y * l)
            let g = bank.transfer(rho: 4.5, at: frequency[c])
            let a = fin.coefficients[c], b = fout.coefficients[c]
            let d = ComplexF(b.re - Float(g) * a.re, b.im - Float(g) * a.im)
            worstCoefficient = max(worstCoefficient, Double(d.magnitude))
            peak = max(peak, Double(b.magnitude))
            let s = Int(shells.shellIndex[c])
            guard s < shells.maxShell else { continue }
            let w = FourierShells.hermitianWeight(h, nx: n.x)
            measured[s / binWidth] += w * Double(b.squaredMagnitude)
            expected[s / binWidth] += w * g * g / Double(grid.count)
        } } }
        var worstBin = 0.0
        var report: [String] = []
        for i in measured.indices where expected[i] > 1e-3 * (expected.max() ?? 0) {
            let ratio = measured[i] / expected[i]
            worstBin = max(worstBin, abs(ratio - 1))
            report.append(String(format: "%.3f", ratio))
        }
        // Self-adjoint: <HX, Y> = <X, HY>, with Y correlated with X so the product is large.
        let x = Maps.noise(grid, seed: 8)
        var y = Maps.noise(grid, seed: 9)
        for i in 0..<y.voxels.count { y.voxels[i] += x.voxels[i] }
        let a = Maps.dot(Self.apply(op, x), y), b = Maps.dot(x, Self.apply(op, y))
        let adjointError = abs(a - b) / abs(a)
        print("\(formulation.rawValue), uniform 4.5 Å: per-coefficient |F(HV) − h F(V)| ≤ \(worstCoefficient / peak) of the peak; power ratio per 8-shell bin \(report.joined(separator: " ")); <HX,Y> vs <X,HY> relative \(adjointError)")
        #expect(worstCoefficient / peak < 2e-3)
        #expect(worstBin < 0.02)
        #expect(adjointError < 1e-6)
    }

    @Test("the interpolated operator agrees with the filter bank: CC inside the mask ≥ 0.999 (K = 0.025 and 0.05, nodes 1–3 Å apart)",
          arguments: [0.025, 0.05], [1.0, 2.0, 3.0])
    func interpolationError(k: Double, spacing: Double) throws {
        let exact = try Self.make(.filterBank, Self.varying, k: k), fast = try Self.make(.interpolated, Self.varying, k: k, nodeSpacing: spacing)
        let x = Maps.noise(Self.grid, seed: 3)
        let a = Self.apply(exact, x), b = Self.apply(fast, x)
        let cc = Volume.correlation(a, b, mask: Self.varying.mask)
        let relative = Maps.relativeMaxDifference(b, a)
        print(String(format: "K = %.3f, nodes %.0f Å apart, ρ 3–8 Å, white noise: 1 − CC = %.2e, max |fast − exact| / max |exact| = %.2e; transforms per application %d (exact) vs %d (interpolated)",
                     k, spacing, 1 - cc, relative, exact.transformsPerApplication, fast.transformsPerApplication))
        #expect(cc >= 0.999)
        #expect(fast.transformsPerApplication < exact.transformsPerApplication)
    }
}

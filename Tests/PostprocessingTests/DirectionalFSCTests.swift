import Foundation
import Testing
import MapbookCore
import MapModel
import FourierEngine
import Simulation
@testable import Postprocessing

/// The directional FSC on simulated half maps whose directional resolution is known
/// (`mapbook simulate --anisotropy`), and the sphericity on bodies of known shape.
@Suite("Directional FSC")
struct DirectionalFSCTests {
    static func simulated(ratio: Double, resolution: Double = 3.5, size: Int = 64, seed: UInt64 = 3) throws -> SimulatedDataset {
        var p = SimulationParameters()
        p.size = size
        p.voxelSize = 1
        p.fsc = FSCDesign(shape: .logistic, resolution: resolution)
        p.anisotropy = AnisotropyDesign(ratio: ratio)
        p.exactFSC = false
        p.seed = seed
        return try DatasetSimulator.make(p)
    }

    /// The design's d_xy and d_z recovered from the directional resolutions: a least-squares
    /// fit of d² = A + S·w_z² over the cone axes w, undone for the cone's averaging (a cone of
    /// half-angle α averages v_z² over its directions, which shrinks the slope by (3m − 1)/2
    /// with m = (1 + cos α + cos²α)/3 the mean cos² over a spherical cap).
    static func fittedSpheroid(_ r: DirectionalFSCReport) -> (inPlane: Double, alongZ: Double) {
        let x: [Double] = r.directions.map { d in d.axis.z * d.axis.z }
        let y: [Double] = r.directions.map { d in d.resolution.interpolatedResolution * d.resolution.interpolatedResolution }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        let slope = sxy / sxx
        let intercept = my - slope * mx
        let c = cos(r.parameters.coneHalfAngle * .pi / 180)
        let m = (1 + c + c * c) / 3
        let difference = 2 * slope / (3 * m - 1)            // d_z² − d_xy²
        let a = intercept - difference * (1 - m) / 2        // d_xy²
        return (a.squareRoot(), (a + difference).squareRoot())
    }

    @Test("anisotropic design (0.143 at 3.5 Å in xy, 5.25 Å along z; 64³): the fitted spheroid recovers both within 0.3 Å, z is the worst direction, sphericity < 1")
    func recoversDesign() throws {
        let data = try Self.simulated(ratio: 1.5)
        let design = try #require(data.record.directionalResolution)
        #expect(design.perpendicular == 3.5 && design.alongAxis == 5.25)
        let r = try Postprocess.directionalFSC(half1: data.half1, half2: data.half2, mask: nil)
        let fit = Self.fittedSpheroid(r)
        print("anisotropic 64³: fitted d_xy \(fit.inPlane) d_z \(fit.alongZ); min \(r.spread.minimum) max \(r.spread.maximum) mean \(r.spread.mean) sd \(r.spread.standardDeviation) sphericity \(r.sphericity)")
        #expect(abs(fit.inPlane - 3.5) < 0.3, "d_xy \(fit.inPlane)")
        #expect(abs(fit.alongZ - 5.25) < 0.3, "d_z \(fit.alongZ)")
        #expect(r.directions[r.spread.worst].polarAngle < 30, "worst direction \(r.directions[r.spread.worst].polarAngle)° from z")
        #expect(r.sphericity < 0.98)
        #expect(r.spread.maximum - r.spread.minimum > 1)
    }

    @Test("isotropic design (64³): the fitted spheroid is a sphere at the design within 0.3 Å, and sphericity ≥ 0.98")
    func isotropic() throws {
        let data = try Self.simulated(ratio: 1.0001)
        let r = try Postprocess.directionalFSC(half1: data.half1, half2: data.half2, mask: nil)
        let fit = Self.fittedSpheroid(r)
        print("isotropic 64³: fitted d_xy \(fit.inPlane) d_z \(fit.alongZ); min \(r.spread.minimum) max \(r.spread.maximum) mean \(r.spread.mean) sd \(r.spread.standardDeviation) sphericity \(r.sphericity)")
        #expect(abs(fit.inPlane - 3.5) < 0.3 && abs(fit.alongZ - 3.5) < 0.3, "\(fit)")
        #expect(r.sphericity >= 0.98)
        #expect(abs(r.spread.mean - 3.5) < 0.3)
    }

    @Test("sphericity: 1 for a sphere, the analytic value for spheroids (oblate 1:1:0.5 → 0.9129; prolate 1:1:2 → 0.9287)")
    func sphericityOfSpheroids() {
        #expect(abs(Sphericity.of { _ in 2.5 } - 1) < 1e-12)
        func spheroid(_ c: Double) -> (SIMD3<Double>) -> Double {
            { v in 1 / (v.x * v.x + v.y * v.y + v.z * v.z / (c * c)).squareRoot() }
        }
        // Analytic: Ψ = π^⅓ (6V)^⅔ / A with V = 4/3 π c and the spheroid's area.
        func analytic(_ c: Double) -> Double {
            let area: Double
            if c < 1 { let e = (1 - c * c).squareRoot(); area = 2 * .pi * (1 + c * c / e * atanh(e)) }
            else { let e = (1 - 1 / (c * c)).squareRoot(); area = 2 * .pi * (1 + c / e * asin(e)) }
            return pow(.pi, 1.0 / 3) * pow(8 * .pi * c, 2.0 / 3) / area
        }
        for c in [0.5, 2.0] {
            #expect(abs(Sphericity.of(radius: spheroid(c)) - analytic(c)) < 2e-3, "c = \(c): \(Sphericity.of(radius: spheroid(c))) vs \(analytic(c))")
        }
        #expect(abs(analytic(0.5) - 0.9129) < 1e-3 && abs(analytic(2) - 0.9287) < 1e-3)
    }

    @Test("the direction field reproduces a smooth function of direction within 2 % (an ellipsoid's radius) and is the same for v and −v")
    func directionField() {
        let dirs = FibonacciDirections.halfSphere(count: 256)
        let f = { (v: SIMD3<Double>) in 1 / (v.x * v.x + v.y * v.y + 4 * v.z * v.z).squareRoot() }
        let field = DirectionField(directions: dirs, values: dirs.map(f))
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            var v = SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
            v /= (v * v).sum().squareRoot()
            #expect(abs(field.value(v) - f(v)) < 0.02 * f(v))
            #expect(abs(field.value(v) - field.value(-v)) < 1e-12)
        }
    }

    @Test("a mismatched mask is refused, naming it")
    func mismatchedMask() throws {
        let grid = VoxelGrid(cube: 16, voxel: 1)
        var rng = SeededGenerator(seed: 1)
        let a = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }, b = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        let zero = Volume(grid: grid) { _, _, _ in 0 }
        #expect(throws: MapbookError.self) {
            _ = try Postprocess.directionalFSC(half1: a, half2: b, mask: zero, names: PostprocessInputNames(half1: "h1", half2: "h2", mask: "m.mrc"))
        }
    }
}

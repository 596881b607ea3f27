import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Half-map sharpening weights per direction: the anisotropy correction.
///
/// The half sphere of directions is covered by `directionCount` Fibonacci directions, each
/// with a cone of half-angle `coneHalfAngle`. A coefficient at frequency k belongs to every
/// cone around a direction u_j with |k̂·u_j| ≥ cos α, with the weight
/// κ_j = (|k̂·u_j| − cos α)/(1 − cos α), the weights divided by their sum so they add to one
/// (Friedel mates share a cone, as k and −k carry the same data). The half-map sums of every
/// cone are gathered with those weights, each cone's signal fall-off is fitted and its weights
/// chosen as for the whole sphere (`ExpectedCorrelationWeight`), and each coefficient takes the
/// κ-weighted mean of its cones' weights. A direction where the signal falls off faster (a
/// preferred orientation's missing views) or the noise is stronger is weighted for its own
/// evidence, and the weights change smoothly with direction.
public struct DirectionalWeights: Sendable {
    /// The cone axes.
    public let directions: [SIMD3<Double>]
    /// Cone half-angle (radians).
    public let coneHalfAngle: Double
    /// Per direction, per shell: the weight.
    public let weights: [[Double]]
    /// Per direction: the fitted envelope B (Å²), nil where no fit was possible.
    public let envelopeB: [Double?]
    /// Per direction: where the cone's half-map FSC first falls below 0.143 (Å, interpolated
    /// in frequency; Nyquist when it never does).
    public let resolutions: [Double]

    /// Directions covering the half sphere.
    public static let directionCount = 32
    /// Cone half-angle: about 1.5 times the directions' spacing, so every direction of k lies
    /// in several cones.
    public static let coneHalfAngle = 35.0 * Double.pi / 180

    /// Measures the cones' half-map sums from `f1`, `f2` (the masked halves' spectra) and
    /// chooses each cone's weights; a cone whose fall-off cannot be fitted uses `fallback`.
    public init(_ f1: HalfSpectrum, _ f2: HalfSpectrum, shells: FourierShells, fallback: SignalModel?, targetBFactor: Double) {
        let axes = FibonacciDirections.halfSphere(count: Self.directionCount)
        directions = axes
        coneHalfAngle = Self.coneHalfAngle
        let cosine = cos(Self.coneHalfAngle), nx = shells.grid.size.x
        let nShells = shells.shellCount, nDirs = axes.count
        let sums = f1.coefficients.withUnsafeBufferPointer { a in
            f2.coefficients.withUnsafeBufferPointer { b in
                Self.walk(shells: shells, directions: axes, cosine: cosine, components: 4 * nShells * nDirs) { acc, index, h, shell, kappa in
                    let w = FourierShells.hermitianWeight(h, nx: nx)
                    let u = a[index], v = b[index]
                    let cross = w * Double(u.re * v.re + u.im * v.im), p1 = w * Double(u.squaredMagnitude), p2 = w * Double(v.squaredMagnitude)
                    for j in 0..<nDirs where kappa[j] > 0 {
                        let s = 4 * (j * nShells + shell)
                        acc[s] += kappa[j] * cross; acc[s + 1] += kappa[j] * p1; acc[s + 2] += kappa[j] * p2; acc[s + 3] += kappa[j] * w
                    }
                }
            }
        }
        var weights: [[Double]] = [], envelope: [Double?] = [], resolutions: [Double] = []
        for j in 0..<nDirs {
            let bins = (0..<nShells).map { i -> HalfMapBin in
                let s = 4 * (j * nShells + i)
                return HalfMapBin(frequency: shells.frequency(i), cross: sums[s], power1: sums[s + 1], power2: sums[s + 2], count: sums[s + 3])
            }
            let own = SignalModel.fit(bins)
            envelope.append(own?.bFactor)
            resolutions.append(Self.crossing(bins, nyquist: shells.nyquistResolution))
            weights.append(ExpectedCorrelationWeight.weights(bins, model: own ?? fallback, targetBFactor: targetBFactor))
        }
        self.weights = weights
        self.envelopeB = envelope
        self.resolutions = resolutions
    }

    /// The worst directional resolution over the best: 1 for an isotropic map.
    public var anisotropyRatio: Double { (resolutions.max() ?? 1) / max(1e-9, resolutions.min() ?? 1) }

    /// Where the bins' FSC first falls below 0.143, linear in frequency.
    static func crossing(_ bins: [HalfMapBin], nyquist: Double) -> Double {
        var previous = (bins.count > 1 ? bins[1].frequency : 0, 1.0)
        for b in bins.dropFirst() {
            let f = b.halfFSC ?? 0
            if f < 0.143 {
                let t = previous.1 - f > 0 ? (previous.1 - 0.143) / (previous.1 - f) : 0
                return 1 / max(1e-9, previous.0 + t * (b.frequency - previous.0))
            }
            previous = (b.frequency, f)
        }
        return nyquist
    }

    /// Multiplies every coefficient of `spectrum` by its cones' mean weight, in place.
    public func apply(to spectrum: inout HalfSpectrum, shells: FourierShells) {
        scale(&spectrum, shells: shells) { g, _ in g }
    }

    /// Multiplies every coefficient of `spectrum` by its cones' mean weight over the shell's
    /// weight in `global` (one per shell), in place: the directional correction alone, to
    /// combine with weights that vary in space. Where the global weight is (nearly) zero the
    /// factor is 1, and it is capped at `cap` so that a cone's noisy tail cannot blow up.
    public func applyRelative(to spectrum: inout HalfSpectrum, shells: FourierShells, global: [Double], cap: Double = 4) {
        scale(&spectrum, shells: shells) { g, shell in
            let base = shell < global.count ? global[shell] : 0
            return base > 1e-6 ? min(cap, max(0, g / base)) : 1
        }
    }

    /// Multiplies every coefficient by `factor(g, shell)`, g its cones' κ-weighted mean weight.
    private func scale(_ spectrum: inout HalfSpectrum, shells: FourierShells, factor: (Double, Int) -> Double) {
        let nShells = shells.shellCount, nDirs = directions.count
        let flat = weights.flatMap { $0 }
        spectrum.coefficients.withUnsafeMutableBufferPointer { c in
            _ = Self.walk(shells: shells, directions: directions, cosine: cos(coneHalfAngle), components: 0) { _, index, _, shell, kappa in
                var g = 0.0
                for j in 0..<nDirs where kappa[j] > 0 { g += kappa[j] * flat[j * nShells + shell] }
                let f = Float(factor(g, shell))
                c[index] = ComplexF(c[index].re * f, c[index].im * f)
            }
        }
    }

    /// The spread of the fitted envelope B over directions (95th minus 5th percentile, Å²).
    public var envelopeSpread: Double? {
        let b = envelopeB.compactMap { $0 }.sorted()
        guard b.count >= 4 else { return nil }
        return b[min(b.count - 1, Int(0.95 * Double(b.count)))] - b[Int(0.05 * Double(b.count))]
    }

    /// Walks the half spectrum once, in parallel over planes. For each coefficient inside a
    /// shell (with at least one cone holding it) `body` gets this worker's `components` sums,
    /// the coefficient's index and h, its shell, and its cone weights κ_j normalised to sum 1.
    /// Returns the workers' sums added up (empty for 0 components).
    static func walk(shells: FourierShells, directions: [SIMD3<Double>], cosine: Double, components: Int,
                     _ body: (UnsafeMutablePointer<Double>, Int, Int, Int, UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        let grid = shells.grid
        let n = grid.size, hCount = n.x / 2 + 1
        let box = grid.boxLength
        func axis(_ i: Int, _ count: Int, _ length: Double) -> Double { Double(i > count / 2 ? i - count : i) / length }
        let fx = (0..<hCount).map { Double($0) / box.x }, fy = (0..<n.y).map { axis($0, n.y, box.y) }, fz = (0..<n.z).map { axis($0, n.z, box.z) }
        let nDirs = directions.count
        let chunks = Parallelism.chunkCount(n.z)
        var partial = [Double](repeating: 0, count: max(1, chunks * components))
        partial.withUnsafeMutableBufferPointer { part in
            shells.shellIndex.withUnsafeBufferPointer { idx in
                Parallelism.forEachRange(n.z) { chunk, planes in
                    let kappa = UnsafeMutableBufferPointer<Double>.allocate(capacity: nDirs)
                    defer { kappa.deallocate() }
                    let acc = part.baseAddress! + chunk * components
                    for l in planes {
                        for k in 0..<n.y {
                            let row = hCount * (k + n.y * l)
                            for h in 0..<hCount {
                                let raw = idx[row + h]
                                if raw == FourierShells.outside { continue }
                                let v = SIMD3(fx[h], fy[k], fz[l])
                                let norm = (v * v).sum().squareRoot()
                                var total = 0.0
                                for j in 0..<nDirs {
                                    let c = norm > 0 ? abs((v * directions[j]).sum()) / norm : 1
                                    let w = c > cosine ? (c - cosine) / (1 - cosine) : 0
                                    kappa[j] = w
                                    total += w
                                }
                                guard total > 0 else { continue }
                                for j in 0..<nDirs { kappa[j] /= total }
                                body(acc, row + h, h, Int(raw), kappa)
                            }
                        }
                    }
                }
            }
        }
        guard components > 0 else { return [] }
        var sums = [Double](repeating: 0, count: components)
        for c in 0..<chunks { for i in 0..<components { sums[i] += partial[c * components + i] } }
        return sums
    }
}

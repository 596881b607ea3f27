import Foundation
import MapbookCore

/// A 3×3 matrix of Doubles (rows), for rotations and inertia tensors.
public struct Matrix3: Sendable, Equatable {
    /// Rows.
    public var r0: SIMD3<Double>, r1: SIMD3<Double>, r2: SIMD3<Double>

    /// The matrix with these rows.
    public init(_ r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) { self.r0 = r0; self.r1 = r1; self.r2 = r2 }

    /// The identity.
    public static let identity = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// M·v.
    @inline(__always)
    public static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.r0 * v).sum(), (m.r1 * v).sum(), (m.r2 * v).sum())
    }

    /// A·B.
    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let c0 = SIMD3(b.r0.x, b.r1.x, b.r2.x), c1 = SIMD3(b.r0.y, b.r1.y, b.r2.y), c2 = SIMD3(b.r0.z, b.r1.z, b.r2.z)
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> { SIMD3((r * c0).sum(), (r * c1).sum(), (r * c2).sum()) }
        return Matrix3(row(a.r0), row(a.r1), row(a.r2))
    }

    /// The rotation by |w| radians about w (Rodrigues' formula).
    public static func rotation(_ w: SIMD3<Double>) -> Matrix3 {
        let theta = (w * w).sum().squareRoot()
        guard theta > 1e-15 else { return .identity }
        let k = w / theta
        let c = cos(theta), s = sin(theta), t = 1 - c
        return Matrix3(SIMD3(t * k.x * k.x + c, t * k.x * k.y - s * k.z, t * k.x * k.z + s * k.y),
                       SIMD3(t * k.x * k.y + s * k.z, t * k.y * k.y + c, t * k.y * k.z - s * k.x),
                       SIMD3(t * k.x * k.z - s * k.y, t * k.y * k.z + s * k.x, t * k.z * k.z + c))
    }

    /// The rotation angle (radians) of a rotation matrix.
    public var rotationAngle: Double { acos(min(1, max(-1, (r0.x + r1.y + r2.z - 1) / 2))) }

    /// The solution x of M x = b (Cramer's rule); nil when M is singular.
    public func solve(_ b: SIMD3<Double>) -> SIMD3<Double>? {
        func det(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) -> Double {
            a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x)
        }
        let d = det(r0, r1, r2)
        guard abs(d) > 1e-300 else { return nil }
        // Columns replaced by b, written as rows of the transpose.
        let c0 = SIMD3(r0.x, r1.x, r2.x), c1 = SIMD3(r0.y, r1.y, r2.y), c2 = SIMD3(r0.z, r1.z, r2.z)
        return SIMD3(det(b, c1, c2), det(c0, b, c2), det(c0, c1, b)) / det(c0, c1, c2)
    }
}

/// Rigid-body refinement of groups of atoms (chains) against a smoothed map: each group's
/// translation and rotation about its centre maximise Σ wₐ·m(xₐ), the map at the atoms weighted
/// by atomic number — for a rigid move this is the correlation of the map with the model
/// (the model map's own norm does not change), computed without making a model map.
///
/// The ascent direction is the gradient in the metric of the group's mass: a translation of
/// F/W and a rotation of I⁻¹τ, with F = Σ wₐ∇m, τ = Σ wₐ (rₐ × ∇m), W = Σ wₐ and I the inertia
/// tensor — the Newton step when the map is a round bowl. Steps are limited to `maximumStep` Å
/// of atom motion, halved until the score rises, and grown again after each success.
public enum RigidBodyRefinement {
    /// What one group's refinement did.
    public struct Motion: Sendable, Equatable, Codable {
        /// Chain identifier (or group label).
        public var group: String
        /// Atoms in the group.
        public var atoms: Int
        /// Movement of the group's weighted centre, Å.
        public var translation: Double
        /// Rotation about that centre, degrees.
        public var rotationDegrees: Double
        /// Steps taken.
        public var steps: Int
    }

    /// Refines each group of `positions` (indices in `groups`) in place against `sampler`.
    /// Groups are independent and run in parallel; each runs its atoms in order, so the result
    /// does not depend on the thread count.
    public static func refine(_ positions: inout [SIMD3<Double>], weights: [Double], groups: [(label: String, atoms: [Int])],
                              sampler: MapSampler, iterations: Int = 40, maximumStep: Double = 0.3) -> [Motion] {
        var motions = [Motion](repeating: Motion(group: "", atoms: 0, translation: 0, rotationDegrees: 0, steps: 0), count: groups.count)
        positions.withUnsafeMutableBufferPointer { x in
            motions.withUnsafeMutableBufferPointer { out in
                sampler.values.withUnsafeBufferPointer { map in
                    Parallelism.forEachRange(groups.count) { _, range in
                        for g in range {
                            out[g] = refineGroup(x, weights: weights, label: groups[g].label, atoms: groups[g].atoms, sampler: sampler, map: map,
                                                 iterations: iterations, maximumStep: maximumStep)
                        }
                    }
                }
            }
        }
        return motions
    }

    static func refineGroup(_ x: UnsafeMutableBufferPointer<SIMD3<Double>>, weights: [Double], label: String, atoms: [Int], sampler: MapSampler,
                            map: UnsafeBufferPointer<Float>, iterations: Int, maximumStep: Double) -> Motion {
        let count = atoms.count
        var motion = Motion(group: label, atoms: count, translation: 0, rotationDegrees: 0, steps: 0)
        guard count >= 3 else { return motion }
        var trial = [SIMD3<Double>](repeating: .zero, count: count)
        var totalRotation = Matrix3.identity
        let startCentre = centre(x, weights, atoms)
        func score(_ at: (Int) -> SIMD3<Double>) -> Double {
            var s = 0.0
            for n in 0..<count { s += weights[atoms[n]] * sampler.sample(at(n), map).value }
            return s
        }
        var current = score { x[atoms[$0]] }
        var alpha = 2.0   // Å²: 1/curvature of a peak about 1.4 Å wide
        for _ in 0..<iterations {
            let c = centre(x, weights, atoms)
            var force = SIMD3<Double>.zero, torque = SIMD3<Double>.zero, total = 0.0, reach = 0.0
            var inertia = Matrix3(.zero, .zero, .zero)
            for n in 0..<count {
                let a = atoms[n], w = weights[a]
                let r = x[a] - c
                let g = sampler.sample(x[a], map).gradient * w
                force += g
                torque += SIMD3(r.y * g.z - r.z * g.y, r.z * g.x - r.x * g.z, r.x * g.y - r.y * g.x)
                total += w
                let r2 = (r * r).sum()
                reach = max(reach, r2)
                inertia.r0 += w * SIMD3(r2 - r.x * r.x, -r.x * r.y, -r.x * r.z)
                inertia.r1 += w * SIMD3(-r.y * r.x, r2 - r.y * r.y, -r.y * r.z)
                inertia.r2 += w * SIMD3(-r.z * r.x, -r.z * r.y, r2 - r.z * r.z)
            }
            guard total > 0 else { break }
            let trace = inertia.r0.x + inertia.r1.y + inertia.r2.z
            inertia.r0.x += 1e-9 * trace; inertia.r1.y += 1e-9 * trace; inertia.r2.z += 1e-9 * trace
            let dt = force / total
            let dw = inertia.solve(torque) ?? .zero
            let perAlpha = (dt * dt).sum().squareRoot() + (dw * dw).sum().squareRoot() * reach.squareRoot()
            guard perAlpha > 0 else { break }
            alpha = min(alpha, maximumStep / perAlpha)
            var accepted = false
            for _ in 0..<12 {
                let rotation = Matrix3.rotation(alpha * dw)
                let shift = alpha * dt
                for n in 0..<count { trial[n] = c + shift + rotation * (x[atoms[n]] - c) }
                let s = score { trial[$0] }
                if s > current {
                    for n in 0..<count { x[atoms[n]] = trial[n] }
                    current = s
                    totalRotation = rotation * totalRotation
                    accepted = true
                    break
                }
                alpha *= 0.5
            }
            guard accepted else { break }
            motion.steps += 1
            if alpha * perAlpha < 1e-4 { break }
            alpha *= 2
        }
        let moved = centre(x, weights, atoms) - startCentre
        motion.translation = (moved * moved).sum().squareRoot()
        motion.rotationDegrees = totalRotation.rotationAngle * 180 / .pi
        return motion
    }

    static func centre(_ x: UnsafeMutableBufferPointer<SIMD3<Double>>, _ weights: [Double], _ atoms: [Int]) -> SIMD3<Double> {
        var sum = SIMD3<Double>.zero, total = 0.0
        for a in atoms { sum += weights[a] * x[a]; total += weights[a] }
        return total > 0 ? sum / total : .zero
    }
}

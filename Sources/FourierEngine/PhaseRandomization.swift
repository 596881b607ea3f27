import Foundation
import MapbookCore
import MapModel

extension FourierShells {
    /// Replaces the phase of every coefficient at radius ≥ `shell` (exact radius, in shell
    /// units) with a uniformly random one, keeping the amplitude (Chen et al. 2013).
    ///
    /// The result stays the transform of a real map: on the h = 0 and h = nx/2 planes each
    /// Friedel pair gets one phase and its conjugate, and self-conjugate coefficients stay real
    /// (a random sign). Phases come from a 65 536-entry table indexed by 16 random bits — a
    /// phase resolution of 1e-4 rad, far below anything an FSC can see, at a fraction of the
    /// cost of sin/cos per coefficient. Each z-plane draws from its own stream seeded from
    /// (`seed`, plane), so the result does not depend on the thread count.
    public func randomizePhases(_ spectrum: inout HalfSpectrum, beyondShell shell: Int, seed: UInt64) {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let L = referenceLength
        let limit2 = Double(shell) * Double(shell)
        let (sx2, sy2, sz2) = (self.sx2, self.sy2, self.sz2)
        let table = PhaseTable.shared.unitVectors
        spectrum.coefficients.withUnsafeMutableBufferPointer { f in
            table.withUnsafeBufferPointer { unit in
                Parallelism.forEachRange(n.z) { _, zr in
                    for l in zr {
                        var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(l + 1))
                        var bits: UInt64 = 0
                        var available = 0
                        for k in 0..<n.y {
                            let syz = sy2[k] + sz2[l]
                            let row = hCount * (k + n.y * l)
                            for h in 0..<hCount {
                                let r2 = L * L * (sx2[h] + syz)
                                if r2 < limit2 { continue }
                                if available == 0 { bits = rng.next(); available = 4 }
                                let u = unit[Int(bits & 0xFFFF)]
                                bits >>= 16; available -= 1
                                let a = f[row + h].magnitude
                                f[row + h] = ComplexF(a * u.re, a * u.im)
                            }
                        }
                    }
                }
            }
            restoreHermitianPlanes(f, limit2: limit2)
        }
    }

    /// Makes the h = 0 (and, for even nx, h = nx/2) planes Hermitian again after the random
    /// phases: F(h,−k,−l) = conj F(h,k,l).
    private func restoreHermitianPlanes(_ f: UnsafeMutableBufferPointer<ComplexF>, limit2: Double) {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let L = referenceLength
        var planes = [0]
        if n.x % 2 == 0 && n.x / 2 != 0 { planes.append(n.x / 2) }
        for h in planes {
            for l in 0..<n.z {
                let lp = (n.z - l) % n.z
                for k in 0..<n.y {
                    let kp = (n.y - k) % n.y
                    let r2 = L * L * (sx2[h] + sy2[k] + sz2[l])
                    if r2 < limit2 { continue }
                    let here = h + hCount * (k + n.y * l)
                    let partner = h + hCount * (kp + n.y * lp)
                    if here == partner {
                        // Self-conjugate: must be real; keep the amplitude with the sign of re.
                        let a = f[here].magnitude
                        f[here] = ComplexF(f[here].re < 0 ? -a : a, 0)
                    } else if here < partner {
                        f[partner] = ComplexF(f[here].re, -f[here].im)
                    }
                }
            }
        }
    }
}

/// Unit complex numbers at 65 536 evenly spaced phases.
final class PhaseTable: Sendable {
    static let shared = PhaseTable()
    let unitVectors: [ComplexF]
    private init() {
        unitVectors = (0..<65536).map { i in
            let phi = 2 * Double.pi * Double(i) / 65536
            return ComplexF(Float(cos(phi)), Float(sin(phi)))
        }
    }
}

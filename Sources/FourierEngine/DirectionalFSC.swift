import Foundation
import MapbookCore
import MapModel

/// FSC curves in cones around directions (the directional FSC of 3DFSC, Tan et al. 2017), with
/// the global curve of the same two spectra.
public struct DirectionalFSCCurves: Sendable, Codable {
    /// The cone axes (unit vectors over the half sphere; each cone also holds its opposite).
    public var directions: [SIMD3<Double>]
    /// The cone half-angle (degrees).
    public var coneHalfAngle: Double
    /// One curve per direction, on the shells of the global curve. `count` is the number of
    /// full-sphere coefficients of the shell inside the double cone (around u and −u).
    public var curves: [FSCCurve]
    /// The FSC over whole shells, of the same spectra.
    public var global: FSCCurve
}

extension FourierShells {
    /// The FSC of `a` and `b` in cones of half-angle `cones.cosine` around every direction of
    /// `cones`, in one pass over the half spectrum: no transform per direction.
    ///
    /// Every half-spectrum coefficient k stands for itself and its Friedel mate −k, with the
    /// Hermitian weight of the global FSC (2 off the h = 0 and h = nx/2 planes), and adds its
    /// terms Re(A·B*), |A|², |B|² to the shell × direction bins of every double cone (around u
    /// and −u) that holds ±k: |k·u| ≥ |k| cos α, with k the physical frequency vector (Å⁻¹),
    /// so non-cubic boxes and voxels are handled. The DC term belongs to every cone. Sums are
    /// in Double; the planes are shared out in fixed blocks added up in order, so the result
    /// does not depend on the thread count. A cone-shell bin is undefined (NaN) when it is
    /// empty or when either map's mean power in it is at or below that map's rounding floor,
    /// as for the global FSC (`fsc(_:_:)`).
    public func directionalFSC(_ a: HalfSpectrum, _ b: HalfSpectrum, cones: ConeLookup) -> DirectionalFSCCurves {
        precondition(a.grid.size == grid.size && b.grid.size == grid.size, "spectra are not on this grid")
        let sums = coneSums(a, b, cones: cones)
        let global = fsc(a, b)
        let whole = crossSums(a, b)
        let floor1 = RoundingFloor.meanPower(totalPower: whole.total1, voxelCount: grid.count)
        let floor2 = RoundingFloor.meanPower(totalPower: whole.total2, voxelCount: grid.count)
        let shellsN = shellCount
        let frequencies = (0..<shellsN).map(frequency)
        var curves: [FSCCurve] = []
        for j in cones.directions.indices {
            var values = [Double](repeating: .nan, count: shellsN)
            var counts = [Double](repeating: 0, count: shellsN)
            for i in 0..<shellsN {
                let s = 4 * (j * shellsN + i)
                let (cross, p1, p2, n) = (sums[s], sums[s + 1], sums[s + 2], sums[s + 3])
                counts[i] = n
                guard n > 0, p1 / n > floor1, p2 / n > floor2 else { continue }
                values[i] = cross / (p1 * p2).squareRoot()
            }
            curves.append(FSCCurve(frequency: frequencies, fsc: values, count: counts))
        }
        return DirectionalFSCCurves(directions: cones.directions, coneHalfAngle: acos(cones.cosine) * 180 / .pi,
                                    curves: curves, global: global)
    }

    /// Per direction j and shell i, at `4·(j·shellCount + i)`: Σ w·Re(A·B*), Σ w·|A|², Σ w·|B|²
    /// and Σ w over the coefficients of the shell in the double cone around direction j.
    func coneSums(_ a: HalfSpectrum, _ b: HalfSpectrum, cones: ConeLookup) -> [Double] {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let shellsN = shellCount
        let width = 4 * shellsN * cones.directions.count
        let box = grid.boxLength
        // Signed physical frequency along each axis, by stored index.
        func axis(_ count: Int, _ length: Double, half: Bool) -> [Double] {
            (0..<(half ? count / 2 + 1 : count)).map { i in Double((!half && i > count / 2) ? i - count : i) / length }
        }
        let fx = axis(n.x, box.x, half: true), fy = axis(n.y, box.y, half: false), fz = axis(n.z, box.z, half: false)
        let limit = cones.cosine * cones.cosine
        let dirs = cones.directions
        // Fixed blocks of planes (not one per worker), so the order of additions is fixed.
        let blocks = min(n.z, 16)
        var partial = [Double](repeating: 0, count: blocks * width)
        partial.withUnsafeMutableBufferPointer { all in
            a.coefficients.withUnsafeBufferPointer { fa in
                b.coefficients.withUnsafeBufferPointer { fb in
                    shellIndex.withUnsafeBufferPointer { idx in
                        cones.candidates.withUnsafeBufferPointer { cand in
                            Parallelism.forEachRange(blocks) { _, blockRange in
                                for block in blockRange {
                                    let acc = all.baseAddress! + block * width
                                    for l in Parallelism.chunkRange(block, of: blocks, count: n.z) {
                                        for k in 0..<n.y {
                                            let row = hCount * (k + n.y * l)
                                            for h in 0..<hCount {
                                                let raw = idx[row + h]
                                                if raw == FourierShells.outside { continue }
                                                let i = Int(raw)
                                                let w = FourierShells.hermitianWeight(h, nx: n.x)
                                                let p = fa[row + h], q = fb[row + h]
                                                let cross = w * Double(p.re * q.re + p.im * q.im)
                                                let p1 = w * Double(p.squaredMagnitude), p2 = w * Double(q.squaredMagnitude)
                                                let v = SIMD3(fx[h], fy[k], fz[l])
                                                let n2 = (v * v).sum()
                                                if n2 == 0 {
                                                    for j in dirs.indices {
                                                        let s = 4 * (j * shellsN + i)
                                                        acc[s] += cross; acc[s + 1] += p1; acc[s + 2] += p2; acc[s + 3] += w
                                                    }
                                                    continue
                                                }
                                                let threshold = limit * n2
                                                for c in cones.candidateRange(cones.cell(v)) {
                                                    let j = Int(cand[c])
                                                    let d = (v * dirs[j]).sum()
                                                    guard d * d >= threshold else { continue }
                                                    let s = 4 * (j * shellsN + i)
                                                    acc[s] += cross; acc[s + 1] += p1; acc[s + 2] += p2; acc[s + 3] += w
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: width)
        for block in 0..<blocks { for s in 0..<width { total[s] += partial[block * width + s] } }
        return total
    }
}

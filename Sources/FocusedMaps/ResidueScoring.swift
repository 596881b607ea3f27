import Foundation
import MapbookCore
import MapModel
import ModelValidation

/// Running sums for a Pearson correlation of a map x with a model map y over some voxels.
struct CorrelationSums {
    var n = 0.0, x = 0.0, y = 0.0, xx = 0.0, yy = 0.0, xy = 0.0
    /// Voxels of the set, covered by the map or not.
    var all = 0.0

    static func + (a: CorrelationSums, b: CorrelationSums) -> CorrelationSums {
        CorrelationSums(n: a.n + b.n, x: a.x + b.x, y: a.y + b.y, xx: a.xx + b.xx, yy: a.yy + b.yy, xy: a.xy + b.xy, all: a.all + b.all)
    }

    /// The correlation, or nil when fewer than 10 voxels or less than `coverage` of the set
    /// are covered, or either map is constant there.
    func correlation(coverage: Double) -> Double? {
        guard n >= 10, n >= coverage * all else { return nil }
        let mx = x / n, my = y / n
        let vx = xx / n - mx * mx, vy = yy / n - my * my
        guard vx > 0, vy > 0 else { return nil }
        return (xy / n - mx * my) / (vx * vy).squareRoot()
    }
}

/// The voxels each residue of a model occupies on a grid: those within a radius of any of its
/// scored atoms (no hydrogens), a voxel counted once per residue.
struct ResidueVoxels {
    /// Residues in chain order, then number.
    var residues: [ResidueID]
    /// Mean position of each residue's atoms (Å).
    var centres: [SIMD3<Double>]
    /// Atom count per residue.
    var atomCounts: [Int]
    /// The voxel indices (x fastest) of each residue.
    var voxels: [[Int32]]

    init(_ model: AtomicModel, grid: VoxelGrid, radius: Double) {
        let atoms = ModelValidation.scoredAtoms(model)
        let grouped = ModelValidation.residues(atoms)
        residues = grouped.map(\.id)
        centres = grouped.map { r in r.atoms.reduce(SIMD3<Double>.zero) { $0 + atoms[$1].position } / Double(r.atoms.count) }
        atomCounts = grouped.map(\.atoms.count)
        let n = grid.size, first = grid.firstVoxelPosition, v = grid.voxelSize
        var stamp = [Int32](repeating: -1, count: grid.count)
        var lists: [[Int32]] = []
        lists.reserveCapacity(grouped.count)
        let r2 = radius * radius
        for (index, r) in grouped.enumerated() {
            var list: [Int32] = []
            for a in r.atoms {
                let u = (atoms[a].position - first) / v
                let reach = radius / v
                let lo = SIMD3(max(0, Int((u.x - reach.x).rounded(.up))), max(0, Int((u.y - reach.y).rounded(.up))), max(0, Int((u.z - reach.z).rounded(.up))))
                let hi = SIMD3(min(n.x - 1, Int((u.x + reach.x).rounded(.down))), min(n.y - 1, Int((u.y + reach.y).rounded(.down))), min(n.z - 1, Int((u.z + reach.z).rounded(.down))))
                guard all(lo .<= hi) else { continue }
                for z in lo.z...hi.z {
                    let dz = (Double(z) - u.z) * v.z
                    for y in lo.y...hi.y {
                        let dy = (Double(y) - u.y) * v.y
                        for x in lo.x...hi.x {
                            let dx = (Double(x) - u.x) * v.x
                            guard dx * dx + dy * dy + dz * dz <= r2 else { continue }
                            let i = x + n.x * (y + n.y * z)
                            if stamp[i] != Int32(index) { stamp[i] = Int32(index); list.append(Int32(i)) }
                        }
                    }
                }
            }
            lists.append(list)
        }
        voxels = lists
    }

    /// Per residue, the correlation sums of `map` (only where `covered`) against `modelMap`.
    func sums(map: Volume, covered: [Bool], modelMap: Volume) -> [CorrelationSums] {
        map.voxels.withUnsafeBufferPointer { m in
            modelMap.voxels.withUnsafeBufferPointer { y in
                voxels.map { list in
                    var s = CorrelationSums()
                    s.all = Double(list.count)
                    for i32 in list {
                        let i = Int(i32)
                        guard covered[i] else { continue }
                        let a = Double(m[i]), b = Double(y[i])
                        s.n += 1; s.x += a; s.y += b; s.xx += a * a; s.yy += b * b; s.xy += a * b
                    }
                    return s
                }
            }
        }
    }

    /// Each residue's window: the residues of its chain whose numbers lie within `half` of its own.
    func windows(half: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(residues.count)
        var lo = 0, hi = 0
        for (i, r) in residues.enumerated() {
            while residues[lo].chainID != r.chainID || residues[lo].number < r.number - half { lo += 1 }
            hi = max(hi, i)
            while hi + 1 < residues.count && residues[hi + 1].chainID == r.chainID && residues[hi + 1].number <= r.number + half { hi += 1 }
            out.append(lo..<(hi + 1))
        }
        return out
    }
}

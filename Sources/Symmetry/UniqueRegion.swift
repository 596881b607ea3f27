import Foundation
import MapbookCore
import MapModel

/// The asymmetric unit of a symmetric map, as phenix.map_box's "exact unique" keeps it: each
/// voxel belongs to the copy whose reference point it is nearest, and only the unique copy's
/// voxels are kept (everything else is zero).
///
/// The reference point p₀ sits in the unique copy (the centre of a model's first chain, or the
/// densest point off every symmetry axis). Its images are pₖ = Rₖ(p₀ − c) + c; all lie at the
/// same distance from the centre c, so "nearest pₖ" is "largest (x − c)·Rₖ(p₀ − c)": a cone
/// about the centre. Because the operators form a group, the cones of the copies tile space and
/// every orbit {Rⱼ(x − c) + c} has exactly one member in each cone (ties, on the cone faces,
/// go to the lowest copy): the unique region is an exact asymmetric unit, and rotating it by
/// each operator gives the whole map back (`reassemble`).
public struct UniqueRegion: Sendable {
    /// The point group.
    public let group: PointGroup
    /// Where its axes meet (Å).
    public let centre: SIMD3<Double>
    /// The reference point of the unique copy (Å).
    public let reference: SIMD3<Double>
    /// Rₖ(p₀ − c) for every operator k, identity first.
    private let directions: [SIMD3<Double>]

    /// How far (Å) the reference point must lie from each of its images: closer, it sits on a
    /// symmetry axis and does not tell the copies apart.
    public static let minimumSeparation = 4.0

    /// The unique region of `group` about `centre` around `reference`; throws when the
    /// reference lies on a symmetry axis (nearer than `minimumSeparation` to one of its images).
    public init(group: PointGroup, centre: SIMD3<Double>, reference: SIMD3<Double>) throws {
        self.group = group
        self.centre = centre
        self.reference = reference
        directions = group.operators.map { $0 * (reference - centre) }
        let closest = directions.dropFirst().map { d -> Double in let e = d - directions[0]; return (e * e).sum().squareRoot() }.min() ?? .infinity
        guard closest >= Self.minimumSeparation else {
            throw MapbookError(String(format: "the unique copy's reference point (%.1f, %.1f, %.1f) Å lies %.1f Å from one of its %@ images, on a symmetry axis: it cannot tell the copies apart",
                                      reference.x, reference.y, reference.z, closest, group.symbol))
        }
    }

    /// The copy (operator index, 0 the unique one) whose cone holds `position` (Å).
    @inline(__always)
    public func copy(of position: SIMD3<Double>) -> Int {
        let d = position - centre
        var best = 0, bestDot = (d * directions[0]).sum()
        for k in 1..<directions.count {
            let dot = (d * directions[k]).sum()
            if dot > bestDot + 1e-9 { best = k; bestDot = dot }
        }
        return best
    }

    /// How many voxels of `grid` lie in the unique copy's cone.
    public func voxelCount(in grid: VoxelGrid) -> Int {
        let n = grid.size
        var counts = [Int](repeating: 0, count: n.z)
        counts.withUnsafeMutableBufferPointer { c in
            Parallelism.forEachRange(n.z) { _, planes in
                for z in planes { for y in 0..<n.y { for x in 0..<n.x {
                    if copy(of: grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * grid.voxelSize) == 0 { c[z] += 1 }
                } } }
            }
        }
        return counts.reduce(0, +)
    }

    /// `map` with every voxel outside the unique copy's cone set to zero.
    public func extract(_ map: Volume) -> Volume {
        var out = map
        let grid = map.grid
        let n = grid.size
        out.voxels.withUnsafeMutableBufferPointer { v in
            Parallelism.forEachRange(n.z) { _, planes in
                for z in planes { for y in 0..<n.y { for x in 0..<n.x {
                    let p = grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * grid.voxelSize
                    if copy(of: p) != 0 { v[grid.index(x, y, z)] = 0 }
                } } }
            }
        }
        return out
    }

    /// The whole map rebuilt from a unique-region map: each voxel at y, in copy k's cone, reads
    /// the unique map at Rₖᵀ(y − c) + c (trilinear), which lies in the unique cone. Voxels whose
    /// source falls outside the box stay zero.
    public func reassemble(_ unique: Volume) -> Volume {
        let grid = unique.grid
        let n = grid.size
        let inverse = group.operators.map { GridOperator($0.transposed, centre: centre, grid: grid) }
        var out = Volume(grid: grid)
        unique.voxels.withUnsafeBufferPointer { input in
            let sampler = TrilinearSampler(input, size: n)
            out.voxels.withUnsafeMutableBufferPointer { v in
                Parallelism.forEachRange(n.z) { _, planes in
                    for z in planes { for y in 0..<n.y { for x in 0..<n.x {
                        let i = SIMD3(Double(x), Double(y), Double(z))
                        let k = copy(of: grid.firstVoxelPosition + i * grid.voxelSize)
                        v[grid.index(x, y, z)] = k == 0 ? input[grid.index(x, y, z)] : (sampler.sample(inverse[k].image(i)) ?? 0)
                    } } }
                }
            }
        }
        return out
    }

    /// A reference point for the unique copy: the centre of the first chain of `model` when
    /// one is given and it lies off the symmetry axes, else the densest voxel of `map` at least
    /// `minimumSeparation` Å from each of its images (and, so that the copy is a whole
    /// molecule rather than a stray peak, after averaging each voxel with its 26 neighbours).
    public static func reference(in map: Volume, group: PointGroup, centre: SIMD3<Double>, model: AtomicModel?) throws -> SIMD3<Double> {
        func offAxis(_ p: SIMD3<Double>) -> Bool {
            let d = p - centre
            return group.operators.dropFirst().allSatisfy { r in let e = r * d - d; return (e * e).sum() >= minimumSeparation * minimumSeparation }
        }
        if let first = model?.atoms.first?.chainID {
            let chain = AtomicModel(atoms: model!.atoms.filter { $0.chainID == first })
            let c = chain.atoms.reduce(SIMD3<Double>.zero) { $0 + $1.position } / Double(chain.atoms.count)
            if offAxis(c) { return c }
        }
        let grid = map.grid, n = grid.size
        var best: (value: Float, position: SIMD3<Double>)? = nil
        map.voxels.withUnsafeBufferPointer { v in
            for z in 1..<max(1, n.z - 1) { for y in 1..<max(1, n.y - 1) { for x in 1..<max(1, n.x - 1) {
                var sum: Float = 0
                for dz in -1...1 { for dy in -1...1 { for dx in -1...1 { sum += v[grid.index(x + dx, y + dy, z + dz)] } } }
                if let b = best, sum <= b.value { continue }
                let p = grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * grid.voxelSize
                if offAxis(p) { best = (sum, p) }
            } } }
        }
        guard let best else { throw MapbookError("the map has no voxel off the \(group.symbol) symmetry axes to anchor the unique copy") }
        return best.position
    }
}

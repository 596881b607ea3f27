import Foundation
import MapbookCore
import MapModel

/// The sampling half of Q-score (Pintilie et al. 2020, Nat. Methods 17:328, Methods): shells
/// of points around each atom, the nearest-atom rule, and the correlation with the reference.
///
/// Shell points: the paper places N points evenly on each sphere. Here each set of n (even)
/// directions is the southern half of a Saff–Kuijlaars spiral of n points (Saff & Kuijlaars
/// 1997, Math. Intelligencer 19:5) plus the antipode of each, so every set is symmetric under
/// inversion and Q is the same for a map and model both inverted through a point.
///
/// Nearest-atom rule (the paper's): a point strictly closer to another scored atom than to
/// this one is skipped. When fewer than N points of a shell survive, the shell is tried again
/// with N + 2, N + 4, … directions (up to `maximumTries` tries) and the first try giving at
/// least N points is used whole; if none does, the last try's surviving points are used.
/// Atoms of two different alternate conformers never hide each other's points, since they are
/// never present together. The centre (r = 0) counts N times, as one shell of N points.
struct QScoreSampler: Sendable {
    let positions: [SIMD3<Double>]
    /// Per atom: 0 for no alternate location, else a code for its conformer.
    let conformer: [Int]
    let parameters: QScoreParameters
    /// Unit directions of every try, one after another.
    let directions: [SIMD3<Double>]
    /// Where try k's directions start in `directions` (k + 1 ends them).
    let tryStart: [Int]
    let cells: NeighbourCells

    init(atoms: [Atom], parameters: QScoreParameters) {
        positions = atoms.map(\.position)
        var codes: [String: Int] = ["": 0]
        conformer = atoms.map { a in
            if let c = codes[a.alternateLocation] { return c }
            codes[a.alternateLocation] = codes.count
            return codes.count - 1
        }
        self.parameters = parameters
        var dirs: [SIMD3<Double>] = [], starts = [0]
        for k in 0..<parameters.maximumTries {
            dirs += Self.antipodalSpiral(parameters.pointsPerShell + 2 * k)
            starts.append(dirs.count)
        }
        directions = dirs
        tryStart = starts
        cells = NeighbourCells(positions, cellSize: 2 * parameters.maximumRadius)
    }

    /// `n` (even) unit vectors: the first n/2 points of the Saff–Kuijlaars spiral of n points,
    /// h_k = −1 + 2k/(n−1), θ_k = acos h_k, φ_k = φ_{k−1} + 3.6/√(n(1 − h_k²)), and their antipodes.
    static func antipodalSpiral(_ n: Int) -> [SIMD3<Double>] {
        var half: [SIMD3<Double>] = []
        var phi = 0.0
        for k in 0..<(n / 2) {
            let h = -1 + 2 * Double(k) / Double(n - 1)
            let sinTheta = (1 - h * h).squareRoot()
            if k > 0 { phi = (phi + 3.6 / (Double(n) * (1 - h * h)).squareRoot()).truncatingRemainder(dividingBy: 2 * .pi) }
            half.append(SIMD3(sinTheta * cos(phi), sinTheta * sin(phi), h))
        }
        return half + half.map { -$0 }
    }

    /// Q of every atom (nil where undefined), in parallel over atoms. `reference` is the
    /// paper's A and B.
    func scores(in map: Volume, reference: (a: Double, b: Double)) -> [Double?] {
        var out = [Double](repeating: .nan, count: positions.count)
        let shift = map.statistics.mean
        map.voxels.withUnsafeBufferPointer { voxels in
            let sampler = TrilinearSampler(grid: map.grid, voxels: voxels)
            out.withUnsafeMutableBufferPointer { result in
                Parallelism.forEachRange(positions.count, minimumPerChunk: 32) { _, range in
                    var neighbours: [SIMD3<Double>] = []
                    neighbours.reserveCapacity(64)
                    for i in range {
                        gatherNeighbours(of: i, into: &neighbours)
                        result[i] = score(i, neighbours, sampler, reference, shift: shift) ?? .nan
                    }
                }
            }
        }
        return out.map { $0.isNaN ? nil : $0 }
    }

    /// The other atoms that can be nearer than atom `i` to one of its points: those within
    /// twice the outermost radius, less atoms of a different alternate conformer.
    func gatherNeighbours(of i: Int, into buffer: inout [SIMD3<Double>]) {
        buffer.removeAll(keepingCapacity: true)
        let p = positions[i], reach = 2 * parameters.maximumRadius
        cells.forEachAtom(near: p) { j in
            guard j != i else { return }
            if conformer[i] != 0, conformer[j] != 0, conformer[i] != conformer[j] { return }
            let d = positions[j] - p
            if (d * d).sum() < reach * reach { buffer.append(positions[j]) }
        }
    }

    /// Atom `i`'s Q, or nil when a point lies outside the map's box or the values are flat.
    /// Map values are shifted by the map mean and reference values by B before summing, which
    /// leaves the correlation unchanged and keeps the sums well conditioned.
    func score(_ i: Int, _ neighbours: [SIMD3<Double>], _ map: TrilinearSampler,
               _ reference: (a: Double, b: Double), shift: Double) -> Double? {
        let p = positions[i], n = parameters.pointsPerShell
        let twoSigma2 = 2 * parameters.sigma * parameters.sigma
        var sums = CorrelationSums()
        guard let centre = map.value(at: p) else { return nil }
        for _ in 0..<n { sums.add(centre - shift, reference.a) }
        for s in 1..<parameters.shellCount {
            let r = Double(s) * parameters.shellStep
            let v = reference.a * exp(-r * r / twoSigma2)
            let t = chosenTry(p, r, neighbours)
            for k in tryStart[t]..<tryStart[t + 1] {
                let x = p + r * directions[k]
                guard Self.isClear(x, r * r, neighbours) else { continue }
                guard let u = map.value(at: x) else { return nil }
                sums.add(u - shift, v)
            }
        }
        return sums.correlation
    }

    /// The first try whose directions leave at least N points clear on the shell of radius
    /// `r`, or the last try.
    func chosenTry(_ p: SIMD3<Double>, _ r: Double, _ neighbours: [SIMD3<Double>]) -> Int {
        if neighbours.isEmpty { return 0 }
        for t in 0..<parameters.maximumTries {
            var clear = 0
            for k in tryStart[t]..<tryStart[t + 1] where Self.isClear(p + r * directions[k], r * r, neighbours) { clear += 1 }
            if clear >= parameters.pointsPerShell { return t }
        }
        return parameters.maximumTries - 1
    }

    /// Whether no neighbour is strictly closer to `x` than the atom, which lies `r2` (squared
    /// distance) from it.
    @inline(__always)
    static func isClear(_ x: SIMD3<Double>, _ r2: Double, _ neighbours: [SIMD3<Double>]) -> Bool {
        for q in neighbours {
            let d = x - q
            if (d * d).sum() < r2 { return false }
        }
        return true
    }
}

/// Running sums for a Pearson correlation (about the means), in Double.
struct CorrelationSums {
    var n = 0.0, su = 0.0, sv = 0.0, suu = 0.0, svv = 0.0, suv = 0.0

    @inline(__always)
    mutating func add(_ u: Double, _ v: Double) {
        n += 1; su += u; sv += v; suu += u * u; svv += v * v; suv += u * v
    }

    /// The correlation, or nil when either set of values is constant (to rounding).
    var correlation: Double? {
        let varU = n * suu - su * su, varV = n * svv - sv * sv
        guard n >= 2, varU > 1e-12 * n * suu, varV > 1e-12 * n * svv else { return nil }
        return (n * suv - su * sv) / (varU * varV).squareRoot()
    }
}

/// Trilinear interpolation of a map at Cartesian positions (Å), placed by the grid's origin,
/// nstart and voxel size (voxel (i,j,k) sits at `firstVoxelPosition + (i,j,k)·voxelSize`).
struct TrilinearSampler {
    let first: SIMD3<Double>
    let voxel: SIMD3<Double>
    let size: SIMD3<Int>
    let voxels: UnsafeBufferPointer<Float>

    init(grid: VoxelGrid, voxels: UnsafeBufferPointer<Float>) {
        first = grid.firstVoxelPosition
        voxel = grid.voxelSize
        size = grid.size
        self.voxels = voxels
    }

    /// The interpolated value at `x`, or nil outside the box spanned by the voxel centres.
    @inline(__always)
    func value(at x: SIMD3<Double>) -> Double? {
        let c = (x - first) / voxel
        let top = SIMD3<Double>(Double(size.x - 1), Double(size.y - 1), Double(size.z - 1))
        guard size.x > 1, size.y > 1, size.z > 1, c.x >= 0, c.y >= 0, c.z >= 0, c.x <= top.x, c.y <= top.y, c.z <= top.z else { return nil }
        let i = min(Int(c.x), size.x - 2), j = min(Int(c.y), size.y - 2), k = min(Int(c.z), size.z - 2)
        let f = c - SIMD3(Double(i), Double(j), Double(k))
        let sx = 1, sy = size.x, sz = size.x * size.y
        let base = i + sy * j + sz * k
        func lerp(_ a: Int, _ b: Int, _ t: Double) -> Double { Double(voxels[a]) + t * (Double(voxels[b]) - Double(voxels[a])) }
        let c00 = lerp(base, base + sx, f.x), c10 = lerp(base + sy, base + sy + sx, f.x)
        let c01 = lerp(base + sz, base + sz + sx, f.x), c11 = lerp(base + sz + sy, base + sz + sy + sx, f.x)
        let c0 = c00 + f.y * (c10 - c00), c1 = c01 + f.y * (c11 - c01)
        return c0 + f.z * (c1 - c0)
    }
}

/// A cell grid over atom positions: each atom's neighbours are found in the 27 cells around it.
struct NeighbourCells: Sendable {
    let low: SIMD3<Double>
    let cellSize: Double
    let dims: SIMD3<Int>
    /// Atoms of cell c are `atomsByCell[cellStart[c]..<cellStart[c + 1]]`.
    let cellStart: [Int]
    let atomsByCell: [Int]

    init(_ positions: [SIMD3<Double>], cellSize: Double) {
        self.cellSize = cellSize
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        if positions.isEmpty { lo = .zero; hi = .zero }
        low = lo
        let extent = ((hi - lo) / cellSize).rounded(.down)
        let n = SIMD3(Int(extent.x) + 1, Int(extent.y) + 1, Int(extent.z) + 1)
        dims = n
        let cellOf = positions.map { Self.cell($0, lo, cellSize, n) }
        var start = [Int](repeating: 0, count: n.x * n.y * n.z + 1)
        for c in cellOf { start[c + 1] += 1 }
        for c in 0..<(start.count - 1) { start[c + 1] += start[c] }
        var fill = start, order = [Int](repeating: 0, count: positions.count)
        for (i, c) in cellOf.enumerated() { order[fill[c]] = i; fill[c] += 1 }
        cellStart = start
        atomsByCell = order
    }

    static func cell(_ p: SIMD3<Double>, _ lo: SIMD3<Double>, _ size: Double, _ dims: SIMD3<Int>) -> Int {
        let c = ((p - lo) / size).rounded(.down)
        let x = min(max(Int(c.x), 0), dims.x - 1), y = min(max(Int(c.y), 0), dims.y - 1), z = min(max(Int(c.z), 0), dims.z - 1)
        return x + dims.x * (y + dims.y * z)
    }

    /// Calls `body` with every atom in the cells next to (and at) `p`'s.
    @inline(__always)
    func forEachAtom(near p: SIMD3<Double>, _ body: (Int) -> Void) {
        let c = ((p - low) / cellSize).rounded(.down)
        let cx = min(max(Int(c.x), 0), dims.x - 1), cy = min(max(Int(c.y), 0), dims.y - 1), cz = min(max(Int(c.z), 0), dims.z - 1)
        for z in max(cz - 1, 0)...min(cz + 1, dims.z - 1) {
            for y in max(cy - 1, 0)...min(cy + 1, dims.y - 1) {
                for x in max(cx - 1, 0)...min(cx + 1, dims.x - 1) {
                    let cell = x + dims.x * (y + dims.y * z)
                    for k in cellStart[cell]..<cellStart[cell + 1] { body(atomsByCell[k]) }
                }
            }
        }
    }
}

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
/// Nearest-atom rule (the paper's): a point strictly closer to another scored atom (hydrogens
/// are not scored, so they hide nothing) than to this one is skipped. When fewer than N points
/// of a shell survive, the shell is tried again with N + 2, N + 4, … directions (up to
/// `maximumTries` tries, as MapQ's documentation describes its retries) and the first try
/// giving at least N points is used whole; if none does, the last try's surviving points are.
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
    /// paper's A and B; `mapMean` the mean of all map values.
    func scores(in map: Volume, reference: (a: Double, b: Double), mapMean shift: Double) -> [Double?] {
        var out = [Double](repeating: .nan, count: positions.count)
        let flat = directions.flatMap { [$0.x, $0.y, $0.z] }
        map.voxels.withUnsafeBufferPointer { voxels in
            flat.withUnsafeBufferPointer { dirs in
                let sampler = TrilinearSampler(grid: map.grid, voxels: voxels)
                out.withUnsafeMutableBufferPointer { result in
                    Parallelism.forEachRange(positions.count, minimumPerChunk: 32) { _, range in
                        var scratch = Scratch()
                        for i in range {
                            gatherNeighbours(of: i, into: &scratch.neighbours)
                            result[i] = score(i, &scratch, dirs, sampler, reference, shift: shift) ?? .nan
                        }
                    }
                }
            }
        }
        return out.map { $0.isNaN ? nil : $0 }
    }

    /// Per-worker buffers, reused from atom to atom so that scoring allocates nothing per point.
    struct Scratch {
        /// Neighbours relative to the atom, nearest first: x, y, z, squared distance.
        var neighbours: [(x: Double, y: Double, z: Double, d2: Double)] = []
        /// Indices (into the flattened directions) of the chosen try's clear points.
        var clear: [Int] = []
        init() { neighbours.reserveCapacity(96); clear.reserveCapacity(256) }
    }

    /// The other atoms that can be nearer than atom `i` to one of its points — those within
    /// twice the outermost radius, less atoms of a different alternate conformer — relative to
    /// atom `i` and nearest first, so each shell of radius r need only check those within 2r.
    func gatherNeighbours(of i: Int, into buffer: inout [(x: Double, y: Double, z: Double, d2: Double)]) {
        buffer.removeAll(keepingCapacity: true)
        let p = positions[i], reach2 = 4 * parameters.maximumRadius * parameters.maximumRadius
        cells.forEachAtom(near: p) { j in
            guard j != i else { return }
            if conformer[i] != 0, conformer[j] != 0, conformer[i] != conformer[j] { return }
            let q = positions[j]
            let x = q.x - p.x, y = q.y - p.y, z = q.z - p.z
            let d2 = x * x + y * y + z * z
            if d2 < reach2 { buffer.append((x, y, z, d2)) }
        }
        buffer.sort { $0.d2 < $1.d2 }
    }

    /// Atom `i`'s Q, or nil when a point lies outside the map's box or the values are flat.
    /// Map values are shifted by the map mean and reference values by B before summing, which
    /// leaves the correlation unchanged and keeps the sums well conditioned.
    func score(_ i: Int, _ scratch: inout Scratch, _ dirs: UnsafeBufferPointer<Double>, _ map: TrilinearSampler,
               _ reference: (a: Double, b: Double), shift: Double) -> Double? {
        let p = positions[i], n = parameters.pointsPerShell
        let (px, py, pz) = (p.x, p.y, p.z)
        let twoSigma2 = 2 * parameters.sigma * parameters.sigma
        var sums = CorrelationSums()
        guard let centre = map.value(px, py, pz) else { return nil }
        for _ in 0..<n { sums.add(centre - shift, reference.a) }
        var active = 0
        for s in 1..<parameters.shellCount {
            let r = Double(s) * parameters.shellStep
            while active < scratch.neighbours.count, scratch.neighbours[active].d2 < 4 * r * r { active += 1 }
            chooseTry(r, active, &scratch, dirs)
            let v = reference.a * exp(-r * r / twoSigma2)
            for k in scratch.clear {
                guard let u = map.value(px + r * dirs[3 * k], py + r * dirs[3 * k + 1], pz + r * dirs[3 * k + 2]) else { return nil }
                sums.add(u - shift, v)
            }
        }
        return sums.correlation
    }

    /// Fills `scratch.clear` with the clear points of the first try that has at least N of
    /// them on the shell of radius `r`, or of the last try. Only the `active` nearest
    /// neighbours (those within 2r) can hide a point.
    func chooseTry(_ r: Double, _ active: Int, _ scratch: inout Scratch, _ dirs: UnsafeBufferPointer<Double>) {
        scratch.neighbours.withUnsafeBufferPointer { neighbours in
            let last = parameters.maximumTries - 1
            for t in 0...last {
                scratch.clear.removeAll(keepingCapacity: true)
                var k = tryStart[t]
                let end = tryStart[t + 1]
                while k < end {
                    if Self.isClear(k, r, active, neighbours, dirs) { scratch.clear.append(k) }
                    k += 1
                    // A try that can no longer reach N is abandoned early (the last is kept whole).
                    if t < last, scratch.clear.count + (end - k) < parameters.pointsPerShell { break }
                }
                if scratch.clear.count >= parameters.pointsPerShell { return }
            }
        }
    }

    /// Whether no active neighbour q (relative to the atom) is strictly closer than the atom to
    /// the point r·d: |r·d − q|² < r² ⟺ |q|² < 2r(d·q).
    @inline(__always)
    static func isClear(_ k: Int, _ r: Double, _ active: Int, _ neighbours: UnsafeBufferPointer<(x: Double, y: Double, z: Double, d2: Double)>,
                        _ dirs: UnsafeBufferPointer<Double>) -> Bool {
        let dx = 2 * r * dirs[3 * k], dy = 2 * r * dirs[3 * k + 1], dz = 2 * r * dirs[3 * k + 2]
        var m = 0
        while m < active {
            let q = neighbours[m]
            if q.d2 < dx * q.x + dy * q.y + dz * q.z { return false }
            m += 1
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

import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Parameters of the windowed local FSC (in the manner of RELION's LocRes and BlocRes).
public struct LocalFSCParameters: Sendable, Equatable, Codable {
    /// Diameter of the soft spherical window (Å). Default 24 Å (at least 12 voxels).
    public var windowDiameter: Double = 24
    /// Distance between window centres (voxels); nil: a quarter of the window diameter.
    public var stepVoxels: Int? = nil
    /// FSC threshold read in each window.
    public var threshold: Double = 0.143
    /// Binarisation level of a soft mask: windows are centred on voxels above it.
    public var maskThreshold: Double = 0.5

    /// The defaults above.
    public init() {}
}

/// Local resolution from the FSC of the two half maps inside a soft window slid over the
/// molecule, read at a threshold per window and interpolated to every voxel of the mask. It
/// exists to cross-check MonoRes: a different principle (correlation between halves rather
/// than signal amplitude against noise) on the same data.
public enum LocalFSC {
    /// Local resolution (Å) inside the mask (0 outside), with the same summary numbers as MonoRes.
    ///
    /// A constant half map, or halves whose global FSC is undefined at the lowest resolution
    /// (see `FourierShells.fsc`), is an error naming the map (`names`: file paths, or neutral
    /// names). A window whose FSC is undefined from its first shell (both halves without power
    /// there, e.g. zeros in a masked region) gets the window size: it resolves nothing finer.
    public static func run(half1: Volume, half2: Volume, mask: Volume, parameters p: LocalFSCParameters = LocalFSCParameters(),
                           names: (String, String) = ("half map 1", "half map 2"),
                           progress: ProgressReporter = .silent) throws -> MonoResResult {
        let grid = half1.grid
        if let why = grid.mismatch(with: half2.grid) { throw MapbookError("half maps do not share a grid: \(why)") }
        try FSCInput.requireVarying(half1, name: names.0)
        try FSCInput.requireVarying(half2, name: names.1)
        if let why = grid.mismatch(with: mask.grid) { throw MapbookError("mask is not on the map's grid: \(why)") }
        guard p.windowDiameter > 0, p.windowDiameter.isFinite else { throw MapbookError("--window must be a positive size in Å") }
        guard p.threshold > 0, p.threshold < 1 else { throw MapbookError("--threshold must lie between 0 and 1") }
        let voxel = grid.voxelSize.max()
        let diameterVoxels = max(12.0, p.windowDiameter / voxel)
        let box = min(Crop.fftFriendly(atLeast: Int(diameterVoxels.rounded(.up)) + 4), grid.size.min())
        let step = max(1, p.stepVoxels ?? Int((diameterVoxels / 4).rounded()))
        if let s = p.stepVoxels, s < 1 { throw MapbookError("--step must be at least one voxel") }
        let n = grid.size
        let inMask: (Int, Int, Int) -> Bool = { x, y, z in mask[x, y, z] > Float(p.maskThreshold) }

        // Lattice of window centres.
        let lattice = SIMD3((n.x + step - 1) / step, (n.y + step - 1) / step, (n.z + step - 1) / step)
        var centres: [SIMD3<Int>] = []
        for k in 0..<lattice.z { for j in 0..<lattice.y { for i in 0..<lattice.x {
            let c = SIMD3(i, j, k) &* step
            // A lattice point counts when any voxel of its cell is in the mask.
            var hit = false
            outer: for z in max(0, c.z - step / 2)...min(n.z - 1, c.z + step / 2) {
                for y in max(0, c.y - step / 2)...min(n.y - 1, c.y + step / 2) {
                    for x in max(0, c.x - step / 2)...min(n.x - 1, c.x + step / 2) where inMask(x, y, z) { hit = true; break outer }
                }
            }
            if hit { centres.append(c) }
        } } }
        guard !centres.isEmpty else { throw MapbookError("the mask is empty: no voxel above \(p.maskThreshold)") }

        // A Hann window over the whole radius: 0.5 + 0.5·cos(π r / R). A window that cuts
        // through density spreads the shared low-resolution signal into high frequencies, where it
        // would inflate the FSC of the two halves; the Hann window's spectrum falls fast enough
        // that this leakage stays below the noise.
        let windowGrid = VoxelGrid(size: SIMD3(repeating: box), voxelSize: grid.voxelSize)
        let radius = diameterVoxels / 2
        let window: [Float] = (0..<windowGrid.count).map { i in
            let d = SIMD3(Double(i % box), Double((i / box) % box), Double(i / (box * box))) - SIMD3(repeating: Double(box / 2))
            let r = (d * d).sum().squareRoot()
            return r >= radius ? 0 : Float(0.5 + 0.5 * cos(Double.pi * r / radius))
        }
        let shells = FourierShells(grid: windowGrid)
        let threshold = FSCThreshold.fixed(p.threshold)

        // Windows cut through density, and the shared signal they cut spreads into high
        // frequencies of both halves alike. As RELION's LocRes does, each window's FSC is
        // corrected with that of phase-randomised halves (Chen et al. 2013): phases are
        // randomised beyond the shell where the global FSC falls below 0.8.
        progress.step("Local FSC: phase-randomised half maps")
        let fullShells = FourierShells(grid: grid)
        let f1 = FFT.forward(half1), f2 = FFT.forward(half2)
        let global = fullShells.fsc(f1, f2)
        try FSCInput.requireDefined(global, f1, f2, names: names, shells: fullShells)
        // An undefined shell counts as below 0.8: beyond it the halves share nothing.
        let randomShell = global.firstShell(below: 0.8) ?? global.shellCount - 1
        let randomFrequency = fullShells.frequency(randomShell)
        var r1 = f1, r2 = f2
        fullShells.randomizePhases(&r1, beyondShell: randomShell, seed: 0)
        fullShells.randomizePhases(&r2, beyondShell: randomShell, seed: 1)
        let random1 = FFT.backward(consume r1), random2 = FFT.backward(consume r2)
        // Window shells from which the corrected curve applies: two shells past the randomisation
        // frequency, as in the global correction.
        let firstCorrected = Int((randomFrequency * shells.referenceLength).rounded(.up)) + 2

        progress.step("Local FSC: \(centres.count) windows of \(box)³ voxels")
        var values = [Float](repeating: 0, count: centres.count)
        let done = Counter()
        values.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: Parallelism.threads) { worker in
                var a = Volume(grid: windowGrid), b = Volume(grid: windowGrid)
                var fa = HalfSpectrum(grid: windowGrid), fb = HalfSpectrum(grid: windowGrid)
                var w = worker
                while w < centres.count {
                    let c = centres[w]
                    cut(half1, around: c, box: box, window: window, into: &a)
                    cut(half2, around: c, box: box, window: window, into: &b)
                    FFT.forward(a, into: &fa, threads: 1)
                    FFT.forward(b, into: &fb, threads: 1)
                    let measured = shells.fsc(fa, fb)
                    cut(random1, around: c, box: box, window: window, into: &a)
                    cut(random2, around: c, box: box, window: window, into: &b)
                    FFT.forward(a, into: &fa, threads: 1)
                    FFT.forward(b, into: &fb, threads: 1)
                    let randomised = shells.fsc(fa, fb)
                    var corrected = measured.fsc
                    for i in firstCorrected..<max(firstCorrected, measured.shellCount) {
                        let n = randomised.fsc[i], m = measured.fsc[i]
                        corrected[i] = n.isNaN || m.isNaN ? .nan : (1 - n < 1e-6 ? 0 : (m - n) / (1 - n))
                    }
                    let d: Double
                    if let r = try? measured.with(values: corrected).resolution(at: threshold) {
                        switch r.status {
                        case .crossed: d = min(r.interpolatedResolution, box > 0 ? Double(box) * voxel : r.interpolatedResolution)
                        case .neverCrosses, .dataEnds: d = r.shellResolution
                        case .belowFirstShell: d = Double(box) * voxel
                        }
                    } else {
                        d = Double(box) * voxel   // undefined from shell 1: no power in this window
                    }
                    out[w] = Float(d)
                    if done.increment() % 256 == 0 { progress.update("Local FSC", fraction: Double(done.value) / Double(centres.count)) }
                    w += Parallelism.threads
                }
            }
        }
        progress.finish()

        // Interpolate the lattice values to every mask voxel (trilinear, over the lattice points
        // that have a value).
        var latticeValue = [Float](repeating: 0, count: lattice.x * lattice.y * lattice.z)
        for (c, v) in zip(centres, values) { latticeValue[c.x / step + lattice.x * (c.y / step + lattice.y * (c.z / step))] = v }
        var res = [Float](repeating: 0, count: grid.count)
        var maskVoxels = 0
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x where inMask(x, y, z) {
            maskVoxels += 1
            let f = SIMD3(Double(x), Double(y), Double(z)) / Double(step)
            let i0 = SIMD3(Int(f.x), Int(f.y), Int(f.z))
            var sum = 0.0, wsum = 0.0
            for dz in 0...1 { for dy in 0...1 { for dx in 0...1 {
                let i = i0 &+ SIMD3(dx, dy, dz)
                guard i.x < lattice.x, i.y < lattice.y, i.z < lattice.z else { continue }
                let v = latticeValue[i.x + lattice.x * (i.y + lattice.y * i.z)]
                guard v > 0 else { continue }
                let t = f - SIMD3(Double(i0.x), Double(i0.y), Double(i0.z))
                let w = (dx == 0 ? 1 - t.x : t.x) * (dy == 0 ? 1 - t.y : t.y) * (dz == 0 ? 1 - t.z : t.z)
                sum += w * Double(v); wsum += w
            } } }
            res[grid.index(x, y, z)] = wsum > 1e-9 ? Float(sum / wsum) : 0
        } } }
        return try MonoRes.postProcess(res: res, grid: grid, tested: [], stop: .reachedNyquist, maskVoxels: maskVoxels,
                                       halfMode: true, low: Double(box) * voxel, step: Double(step) * voxel,
                                       significance: p.threshold, warnings: [], smoothing: false)
    }

    /// Copies the box of `map` centred on `c` (wrapping round the edges) times the window.
    static func cut(_ map: Volume, around c: SIMD3<Int>, box: Int, window: [Float], into out: inout Volume) {
        let n = map.grid.size
        let h = box / 2
        map.voxels.withUnsafeBufferPointer { m in
            out.voxels.withUnsafeMutableBufferPointer { o in
                var i = 0
                for z in 0..<box {
                    let fz = ((c.z - h + z) % n.z + n.z) % n.z
                    for y in 0..<box {
                        let fy = ((c.y - h + y) % n.y + n.y) % n.y
                        let row = n.x * (fy + n.y * fz)
                        for x in 0..<box {
                            let fx = ((c.x - h + x) % n.x + n.x) % n.x
                            o[i] = m[row + fx] * window[i]
                            i += 1
                        }
                    }
                }
            }
        }
    }
}

/// A thread-safe counter for progress reporting.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}

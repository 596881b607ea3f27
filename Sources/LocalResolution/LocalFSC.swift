import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Parameters of the windowed local FSC (in the manner of RELION's LocRes and BlocRes).
public struct LocalFSCParameters: DeclaredParameters, Equatable {
    /// Diameter of the soft spherical window (Å). Default 24 Å (at least 12 voxels).
    @Parameter("window", .positive, unit: "Å", "local_fsc: diameter of the soft spherical window",
               source: "Cardone et al. 2013 (BlocRes -box); cf. RELION relion_postprocess --locres")
    public var windowDiameter: Double = 24
    /// Distance between window centres (voxels); nil: a quarter of the window diameter.
    @Parameter("window_step", .atLeast(1), unit: "voxels", "local_fsc: distance between window centres",
               source: "Cardone et al. 2013 (BlocRes -step); cf. RELION relion_postprocess --locres_sampling",
               defaultMeaning: "a quarter of the window", inStarterPlan: false)
    public var stepVoxels: Int? = nil
    /// FSC threshold read in each window.
    @Parameter("fsc_threshold", .open(0, 1), "local_fsc: FSC threshold read in each window",
               source: "Rosenthal & Henderson 2003 (0.143); Cardone et al. 2013 (BlocRes -cutoff)", inStarterPlan: false)
    public var threshold: Double = 0.143
    /// Binarisation level of a soft mask: windows are centred on voxels above it (set by
    /// `LocalResolutionParameters`).
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
        try p.validate()
        guard p.windowDiameter.isFinite else { throw ParameterProblem(key: "window", value: p.windowDiameter.parameterText, "must be a finite size in Å") }
        let layout = WindowLayout(grid: grid, parameters: p)
        let inMask: (Int, Int, Int) -> Bool = { x, y, z in mask[x, y, z] > Float(p.maskThreshold) }
        let centres = layout.centres(grid.size, inMask: inMask)
        guard !centres.isEmpty else { throw MapbookError("the mask is empty: no voxel above \(p.maskThreshold)") }

        progress.step("Local FSC: phase-randomised half maps")
        let reference = try PhaseRandomisedHalves(half1, half2, names: names)
        progress.step("Local FSC: \(centres.count) windows of \(layout.box)³ voxels")
        let values = windowResolutions(half1, half2, reference: reference, centres: centres, layout: layout,
                                       threshold: .fixed(p.threshold), progress: progress)
        progress.finish()

        let (res, maskVoxels) = interpolated(values, at: centres, layout: layout, grid: grid, inMask: inMask)
        return try MonoRes.postProcess(res: res, grid: grid, tested: [], stop: .reachedNyquist, maskVoxels: maskVoxels,
                                       halfMode: true, low: layout.boxResolution, step: Double(layout.step) * layout.voxel,
                                       significance: p.threshold, warnings: [], smoothing: false)
    }

    /// The resolution (Å) in each window centred on `centres`, worked through in parallel.
    static func windowResolutions(_ half1: Volume, _ half2: Volume, reference: PhaseRandomisedHalves, centres: [SIMD3<Int>],
                                  layout: WindowLayout, threshold: FSCThreshold, progress: ProgressReporter) -> [Float] {
        let box = layout.box, window = layout.window, windowGrid = layout.windowGrid
        let shells = FourierShells(grid: windowGrid)
        // Window shells from which the corrected curve applies: two shells past the randomisation
        // frequency, as in the global correction.
        let firstCorrected = Int((reference.randomFrequency * shells.referenceLength).rounded(.up)) + 2
        var values = [Float](repeating: 0, count: centres.count)
        let done = Counter()
        values.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: Parallelism.threads) { worker in
                var a = Volume(grid: windowGrid), b = Volume(grid: windowGrid)
                var fa = HalfSpectrum(grid: windowGrid), fb = HalfSpectrum(grid: windowGrid)
                // The FSC of the two maps' windows about `c`, in the work buffers of this thread.
                func windowFSC(_ map1: Volume, _ map2: Volume, around c: SIMD3<Int>) -> FSCCurve {
                    cut(map1, around: c, box: box, window: window, into: &a)
                    cut(map2, around: c, box: box, window: window, into: &b)
                    FFT.forward(a, into: &fa, threads: 1)
                    FFT.forward(b, into: &fb, threads: 1)
                    return shells.fsc(fa, fb)
                }
                var w = worker
                while w < centres.count {
                    let measured = windowFSC(half1, half2, around: centres[w])
                    let randomised = windowFSC(reference.half1, reference.half2, around: centres[w])
                    out[w] = Float(resolution(measured: measured, randomised: randomised, firstCorrected: firstCorrected,
                                              threshold: threshold, layout: layout))
                    if done.increment() % 256 == 0 { progress.update("Local FSC", fraction: Double(done.value) / Double(centres.count)) }
                    w += Parallelism.threads
                }
            }
        }
        return values
    }

    /// One window's resolution (Å): where its FSC, corrected with that of the phase-randomised
    /// halves from shell `firstCorrected` on, crosses `threshold`; never coarser than the window.
    static func resolution(measured: FSCCurve, randomised: FSCCurve, firstCorrected: Int, threshold: FSCThreshold,
                           layout: WindowLayout) -> Double {
        var corrected = measured.fsc
        for i in firstCorrected..<max(firstCorrected, measured.shellCount) {
            let n = randomised.fsc[i], m = measured.fsc[i]
            corrected[i] = n.isNaN || m.isNaN ? .nan : (1 - n < 1e-6 ? 0 : (m - n) / (1 - n))
        }
        guard let r = try? measured.with(values: corrected).resolution(at: threshold) else {
            return layout.boxResolution   // undefined from shell 1: no power in this window
        }
        switch r.status {
        case .crossed: return min(r.interpolatedResolution, layout.box > 0 ? layout.boxResolution : r.interpolatedResolution)
        case .neverCrosses, .dataEnds: return r.shellResolution
        case .belowFirstShell: return layout.boxResolution
        }
    }

    /// The lattice values interpolated to every mask voxel (trilinear, over the lattice points
    /// that have a value; 0 outside the mask), and the number of mask voxels.
    static func interpolated(_ values: [Float], at centres: [SIMD3<Int>], layout: WindowLayout, grid: VoxelGrid,
                             inMask: (Int, Int, Int) -> Bool) -> (res: [Float], maskVoxels: Int) {
        let lattice = layout.lattice, step = layout.step, n = grid.size
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
        return (res, maskVoxels)
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

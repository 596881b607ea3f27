import CFFTW3f
import Foundation
import MapbookCore
import MapModel

/// Single-precision 3-D real FFTs through FFTW, on `Parallelism.threads` threads.
///
/// Plans are made once per (shape, direction, thread count) and cached for the life of the
/// process; FFTW wisdom is loaded from and saved to a per-user cache file so that later runs
/// skip the (costly) measuring planner. See `FFTWisdom` for the file's location. A shape whose
/// 3-D plan could not be measured within the planning time runs as batches of 1-D transforms
/// instead (`LinePassFFT`), measured in a fraction of that time and about as fast.
public enum FFT {
    /// Forward transform of `volume`, divided by the voxel count (see `HalfSpectrum`).
    ///
    /// Pass a volume you no longer need with `consume`: the transform then runs in the
    /// volume's own memory (see `FFTInPlace`) and allocates nothing.
    public static func forward(_ volume: consuming Volume, planning: FFTPlanning = .fastest) -> HalfSpectrum {
        if let spectrum = FFTInPlace.forward(&volume, planning: planning) { return spectrum }
        let g = volume.grid
        var spectrum = HalfSpectrum(grid: g, coefficients: AlignedArray(unsafeUninitializedCount: (g.size.x / 2 + 1) * g.size.y * g.size.z) { _ in })
        forward(volume, into: &spectrum, planning: planning)
        return spectrum
    }

    /// Inverse transform of `spectrum` back to real space (no further scaling).
    ///
    /// FFTW's complex-to-real transform overwrites its input, so the spectrum is taken by
    /// value: pass a value you no longer need (`consume s`) to avoid a copy; the transform
    /// then runs in the spectrum's own memory (see `FFTInPlace`) and allocates nothing.
    public static func backward(_ spectrum: consuming HalfSpectrum, planning: FFTPlanning = .fastest) -> Volume {
        if let volume = FFTInPlace.backward(&spectrum, planning: planning) { return volume }
        var work = spectrum
        var volume = Volume(grid: work.grid, voxels: AlignedArray(unsafeUninitializedCount: work.grid.count) { _ in })
        backward(destroying: &work, into: &volume, planning: planning)
        return volume
    }

    /// Forward transform of `volume` into an existing spectrum of the same grid (no allocation;
    /// for loops that transform many maps of one shape).
    ///
    /// `threads` overrides `Parallelism.threads` for this transform: loops that transform many
    /// small boxes side by side use single-threaded plans, one per worker.
    public static func forward(_ volume: Volume, into spectrum: inout HalfSpectrum, planning: FFTPlanning = .fastest, threads: Int? = nil) {
        precondition(spectrum.grid.size == volume.grid.size, "spectrum and volume differ in shape")
        let plan = FFTPlanCache.shared.plan(for: volume.grid.size, direction: .forward, planning: planning, threads: threads)
        if let lines = LinePassFFT.instead(of: plan, size: volume.grid.size, threads: threads), lines.forward(volume, into: &spectrum) { return }
        FFTCounts.add(volume.grid.size, .forward)
        spectrum.grid = volume.grid
        let scale = 1 / Float(volume.grid.count)
        volume.voxels.withUnsafeBufferPointer { src in
            spectrum.coefficients.withUnsafeMutableBufferPointer { dst in
                // r2c out of place leaves its input intact, so the const cast is safe.
                let input = UnsafeMutablePointer(mutating: src.baseAddress!)
                dst.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: dst.count) { out in
                    fftwf_execute_dft_r2c(plan.handle, input, out)
                }
                scaleInPlace(dst, by: scale)
            }
        }
    }

    /// Inverse transform of `spectrum` into an existing volume of the same grid (no
    /// allocation). The spectrum's contents are destroyed (FFTW's complex-to-real transform
    /// works in its input). `threads` overrides `Parallelism.threads`, as for `forward(_:into:threads:)`.
    public static func backward(destroying spectrum: inout HalfSpectrum, into volume: inout Volume, planning: FFTPlanning = .fastest, threads: Int? = nil) {
        precondition(spectrum.grid.size == volume.grid.size, "spectrum and volume differ in shape")
        let plan = FFTPlanCache.shared.plan(for: volume.grid.size, direction: .backward, planning: planning, threads: threads)
        if let lines = LinePassFFT.instead(of: plan, size: volume.grid.size, threads: threads), lines.backward(destroying: &spectrum, into: &volume) { return }
        FFTCounts.add(volume.grid.size, .backward)
        volume.grid = spectrum.grid
        spectrum.coefficients.withUnsafeMutableBufferPointer { src in
            volume.voxels.withUnsafeMutableBufferPointer { dst in
                src.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: src.count) { input in
                    fftwf_execute_dft_c2r(plan.handle, input, dst.baseAddress!)
                }
            }
        }
    }

    static func scaleInPlace(_ buf: UnsafeMutableBufferPointer<ComplexF>, by s: Float) {
        let floats = UnsafeMutableRawBufferPointer(buf).bindMemory(to: Float.self)
        Parallelism.forEachRange(floats.count, minimumPerChunk: 1 << 16) { _, range in
            for i in range { floats[i] *= s }
        }
        _ = floats
    }
}

/// One FFTW plan for one shape and direction. Execute-only after creation, so it can be
/// shared between threads (FFTW's new-array execute functions are thread-safe).
final class FFTPlan: @unchecked Sendable {
    let handle: fftwf_plan
    let complexCount: Int
    /// How the plan was made.
    let source: FFTPlanningLedger.Source

    init(handle: fftwf_plan, complexCount: Int, source: FFTPlanningLedger.Source) {
        self.handle = handle
        self.complexCount = complexCount
        self.source = source
    }

    deinit { fftwf_destroy_plan(handle) }
}

/// Transform direction.
enum FFTDirection: Hashable { case forward, backward }

/// How the FFTW plan of a transform is chosen.
public enum FFTPlanning: Sendable, Hashable {
    /// The fastest plan: measured (see `FFTPlanner`) and run on `Parallelism.threads` threads.
    /// Which algorithm wins the measurement can vary between runs and machines, and with it the
    /// last bit of some results.
    case fastest
    /// A plan fixed by FFTW's estimating planner, on one thread, for alignment-free arrays, so
    /// that the same input gives the same bits on every run. The unaligned flag keeps wisdom
    /// measured by `fastest` plans (which never carry it) from being substituted. For work whose
    /// output must be byte-identical for a seed (simulated datasets); a few times slower.
    case reproducible
}

/// How hard FFTW's planner works. `measure` (the default) times candidate algorithms once per
/// shape and remembers the winner in the wisdom file; `estimate` plans instantly but runs
/// several times slower. Set with `MAPBOOK_FFTW_PLANNER=estimate|measure|patient`.
public enum FFTPlanner: String, Sendable {
    case estimate, measure, patient

    var flag: UInt32 {
        switch self {
        case .estimate: return UInt32(FFTW_ESTIMATE)
        case .measure: return UInt32(FFTW_MEASURE)
        case .patient: return UInt32(FFTW_PATIENT)
        }
    }
}

/// The process-wide plan cache. FFTW's planner is not thread-safe, so planning is serialised
/// behind a lock; executing the cached plans is not.
final class FFTPlanCache: @unchecked Sendable {
    static let shared = FFTPlanCache()

    private struct Key: Hashable { let size: SIMD3<Int>; let direction: FFTDirection; let threads: Int; let planning: FFTPlanning; let inPlace: Bool }
    private let lock = NSLock()
    private var plans: [Key: FFTPlan] = [:]
    private var linePlans: [String: FFTPlan] = [:]
    private var threadsInitialised = false
    private var wisdomLoaded = false

    var planner: FFTPlanner {
        FFTPlanner(rawValue: ProcessInfo.processInfo.environment["MAPBOOK_FFTW_PLANNER"] ?? "") ?? .measure
    }

    /// Seconds this process may spend measuring plans, in total: `$MAPBOOK_FFTW_PLAN_SECONDS`
    /// (default 1). A plan the wisdom file holds costs nothing; a shape too large to measure in
    /// the time left runs as measured batches of 1-D transforms (`LinePassFFT`); once the time
    /// is spent, new plans are FFTW's estimated ones (a few times slower to run, measured by a
    /// later run).
    var planningBudget: Double {
        Double(ProcessInfo.processInfo.environment["MAPBOOK_FFTW_PLAN_SECONDS"] ?? "").flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } ?? 1
    }
    /// Seconds spent planning (non-reproducible plans) so far.
    private var planningSpent = 0.0

    /// What is being planned, for the planning budget.
    enum Problem {
        /// A 3-D transform of `points` voxels on `threads` threads; `splittable` when a
        /// `LinePassFFT` can replace it.
        case transform3D(points: Int, threads: Int, splittable: Bool)
        /// A batch of 1-D transforms whose measuring should take about `expectedSeconds`.
        case lineBatch(expectedSeconds: Double)
    }

    /// A plan for the problem `make` plans (given FFTW flags): from the wisdom file when it
    /// holds one; else measured, when the planning time left allows it; else estimated.
    ///
    /// A 3-D transform is measured under an FFTW time limit. Before measuring, the estimated
    /// plan is run once: a shape whose one transform would use up more than a tenth of the
    /// time left is not measured (FFTW checks its limit only between candidates, each timed
    /// over several transforms). A shape so large that even one transform would take a tenth
    /// of the time left (by `likelySeconds`) is not run at all: preparing and timing it would
    /// spend the budget (a 512³ box: about a second) only to fall back on the estimated plan.
    /// A `splittable` one is measured only when fifty transforms' time is left: a measurement
    /// cut short by the limit can return a plan five times slower than a full one (256³,
    /// 0.4 s), while the batches of 1-D transforms that replace an estimated plan are measured
    /// in a fraction of the time and run about as fast.
    ///
    /// A line batch is measured without a time limit once its expected time is left: its
    /// wisdom is then complete (FFTW keeps a measurement cut short by the limit apart, and the
    /// next run would measure it again), and a run that cannot measure all of a group measures
    /// the rest in the next run.
    ///
    /// `prepareScratch` runs before the first plan that will touch the arrays (a measuring one):
    /// plans from wisdom and estimated plans never touch them, so their scratch memory is never
    /// faulted in and costs nothing.
    private func planWithinLimit(_ make: (UInt32) -> fftwf_plan?, problem: Problem,
                                 prepareScratch: () -> Void) -> (fftwf_plan?, FFTPlanningLedger.Source) {
        let flag = planner.flag
        if planner == .estimate { return (make(flag), .estimated) }
        if let known = make(flag | UInt32(FFTW_WISDOM_ONLY)) { return (known, .wisdom) }
        guard let estimated = make(UInt32(FFTW_ESTIMATE)) else { return (nil, .estimated) }
        var left = planningBudget - planningSpent
        guard left > 0 else { return (estimated, .estimated) }
        switch problem {
        case .lineBatch(let expected):
            guard left > expected else { return (estimated, .estimated) }
            prepareScratch()
            guard let measured = make(flag) else { return (estimated, .estimated) }
            fftwf_destroy_plan(estimated)
            return (measured, .measured)
        case .transform3D(let points, let threads, let splittable):
            guard left > (splittable ? 50 : 10) * Self.likelySeconds(points: points, threads: threads) else { return (estimated, .estimated) }
            prepareScratch()
            let started = DispatchTime.now().uptimeNanoseconds
            fftwf_execute(estimated)
            let once = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            left -= once
            guard left > 10 * once else { return (estimated, .estimated) }
            // FFTW checks the limit between candidates, and a candidate's timing runs several
            // transforms past it: give this plan half of what is left, so that the overshoot
            // stays inside the budget and later shapes still get measured plans.
            fftwf_set_timelimit(0.5 * (left - 3 * once))
            defer { fftwf_set_timelimit(-1) }
            guard let measured = make(flag) else { return (estimated, .estimated) }
            fftwf_destroy_plan(estimated)
            return (measured, .measured)
        }
    }

    /// A rough time for one real transform of `points` voxels: n·log₂n at 1.5·10⁻¹⁰ s per
    /// thread, about what a 256³ transform takes on a current x86 core (0.03 s on two); slower
    /// machines only measure less.
    static func likelySeconds(points: Int, threads: Int) -> Double {
        let n = Double(max(2, points))
        return 1.5e-10 * n * log2(n) / Double(max(1, threads))
    }

    /// The plan for one shape, direction and thread count. An `inPlace` plan transforms one
    /// buffer holding the complex half spectrum or, in FFTW's padded layout, the real map
    /// (rows of 2·(nx/2+1) floats); see `FFTInPlace`.
    func plan(for size: SIMD3<Int>, direction: FFTDirection, planning: FFTPlanning = .fastest, threads requested: Int? = nil,
              inPlace: Bool = false) -> FFTPlan {
        let threads = planning == .reproducible ? 1 : (requested ?? Parallelism.threads)
        let key = Key(size: size, direction: direction, threads: threads, planning: planning, inPlace: inPlace)
        lock.lock(); defer { lock.unlock() }
        if let plan = plans[key] { return plan }
        let (nx, ny, nz) = (size.x, size.y, size.z)
        let complexCount = (nx / 2 + 1) * ny * nz
        let splittable = planning == .fastest && requested == nil && LinePassFFT.canSplit(size)
        let plan = makePlan(realCount: inPlace ? 0 : nx * ny * nz, complexCount: complexCount, threads: threads,
                            reproducible: planning == .reproducible,
                            problem: .transform3D(points: nx * ny * nz, threads: threads, splittable: splittable),
                            what: "a \(nx)×\(ny)×\(nz) transform") { rp, cp, flags in
            let rp = inPlace ? UnsafeMutableRawPointer(cp).assumingMemoryBound(to: Float.self) : rp
            switch direction {
            case .forward: return fftwf_plan_dft_r2c_3d(Int32(nz), Int32(ny), Int32(nx), rp, cp, flags)
            case .backward: return fftwf_plan_dft_c2r_3d(Int32(nz), Int32(ny), Int32(nx), cp, rp, flags)
            }
        }
        plans[key] = plan
        return plan
    }

    /// A single-threaded plan for a batch of 1-D transforms (see `LinePassFFT`), cached under
    /// `name`, which must describe the problem completely. `make` plans on scratch arrays of
    /// `realCount` floats and `complexCount` complex values (64-byte aligned, like every
    /// `AlignedArray`), given FFTW flags; the plan may be executed on any arrays with FFTW's
    /// alignment (`fftwf_alignment_of`) zero. `expectedSeconds` is about what measuring it
    /// takes (see `planWithinLimit`).
    func linePlan(named name: String, realCount: Int, complexCount: Int, expectedSeconds: Double,
                  make: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<fftwf_complex>, UInt32) -> fftwf_plan?) -> FFTPlan {
        lock.lock(); defer { lock.unlock() }
        if let plan = linePlans[name] { return plan }
        let plan = makePlan(realCount: realCount, complexCount: complexCount, threads: 1, reproducible: false,
                            problem: .lineBatch(expectedSeconds: expectedSeconds), what: name, make: make)
        linePlans[name] = plan
        return plan
    }

    /// Plans one problem (the caller holds the lock): FFTW's threads and wisdom set up on first
    /// use, scratch arrays for the planner, the ledger and the wisdom file kept up to date.
    private func makePlan(realCount: Int, complexCount: Int, threads: Int, reproducible: Bool, problem: Problem, what: String,
                          make: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<fftwf_complex>, UInt32) -> fftwf_plan?) -> FFTPlan {
        if !threadsInitialised {
            fftwf_init_threads()
            threadsInitialised = true
        }
        if !wisdomLoaded {
            FFTWisdom.load()
            wisdomLoaded = true
        }
        fftwf_plan_with_nthreads(Int32(threads))
        // Plan on scratch buffers with the same 64-byte alignment as every AlignedArray, because
        // the measuring planner overwrites its arrays and plans assume the alignment seen here.
        // They are left unwritten (so never faulted in) unless a plan is measured.
        var real = AlignedArray<Float>(unsafeUninitializedCount: max(1, realCount)) { _ in }
        var complex = AlignedArray<ComplexF>(unsafeUninitializedCount: max(1, complexCount)) { _ in }
        let started = DispatchTime.now().uptimeNanoseconds
        let made: (handle: fftwf_plan?, source: FFTPlanningLedger.Source) = real.withUnsafeMutableBufferPointer { r in
            complex.withUnsafeMutableBufferPointer { c in
                c.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: c.count) { cp in
                    let rp = r.baseAddress!
                    if reproducible { return (make(rp, cp, UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED)), .reproducible) }
                    // Measuring on zeros, not on whatever the memory held: NaNs or denormals
                    // would slow some candidates and skew the choice.
                    return planWithinLimit({ make(rp, cp, $0) }, problem: problem) {
                        UnsafeMutableRawBufferPointer(r).initializeMemory(as: UInt8.self, repeating: 0)
                        UnsafeMutableRawBufferPointer(c).initializeMemory(as: UInt8.self, repeating: 0)
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if !reproducible { planningSpent += seconds }
        FFTPlanningLedger.shared.record(made.source, seconds: seconds)
        guard let handle = made.handle else { fatalError("FFTW could not plan \(what)") }
        // The scratch arrays would otherwise sit in the buffer pool, where a later request of
        // the other kind (real vs complex) cannot use them: return them to the system.
        _ = consume real
        _ = consume complex
        LargeBufferPool.shared.drain()
        // Only a measured plan adds wisdom. (Comparing the exported wisdom before and after
        // every plan cost two exports of the whole file per plan: 7 ms each for a 1 MB file.)
        if made.source == .measured { FFTWisdom.save() }
        return FFTPlan(handle: handle, complexCount: complexCount, source: made.source)
    }
}

/// FFTW's accumulated planning knowledge, kept in one file per user.
///
/// Location: `$MAPBOOK_FFTW_WISDOM` if set, else `$XDG_CACHE_HOME/mapbook/fftw3f-wisdom`, else
/// `~/.cache/mapbook/fftw3f-wisdom`. Set `MAPBOOK_FFTW_WISDOM=none` to neither read nor write it.
public enum FFTWisdom {
    /// The wisdom file in use, or nil when disabled.
    public static var path: String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["MAPBOOK_FFTW_WISDOM"], !p.isEmpty { return p == "none" ? nil : p }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.homeDirectoryForCurrentUser.path + "/.cache")
        return base + "/mapbook/fftw3f-wisdom"
    }

    static func load() {
        guard let path, FileManager.default.fileExists(atPath: path) else { return }
        // A corrupt or foreign wisdom file is not fatal: FFTW simply plans afresh.
        _ = fftwf_import_wisdom_from_filename(path)
    }

    /// Saves the wisdom atomically (a temporary file renamed into place), so that concurrent
    /// mapbook processes on a cluster node never read a half-written file.
    static func save() {
        guard let path else { return }
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = path + ".tmp-\(getpid())"
        if fftwf_export_wisdom_to_filename(tmp) != 0 {
            if rename(tmp, path) != 0 { unlink(tmp) }
        } else {
            unlink(tmp)
        }
    }
}

import CFFTW3f
import Foundation
import MapbookCore
import MapModel

/// Real 3-D transforms run as three passes of batched 1-D transforms (along x, real to
/// complex, then y, then z), planned once per shape: whole transforms for shapes whose 3-D
/// plan could not be measured in the planning time, and band-limited ones for spectra that
/// matter only at low frequency.
///
/// **Whole transforms.** FFTW's estimated plan for a 256³ transform runs about five times
/// slower than a measured one, and measuring it takes longer than the first run's planning
/// budget (about a second). The batches of 1-D transforms here are measured in a few tenths
/// of a second and run about as fast as FFTW's measured 3-D plan (0.85–1.05× on this
/// machine at 200–384³), so a new box size runs at full speed from its first run. `FFT` uses
/// them when a shape's 3-D plan is only estimated.
///
/// **Band-limited transforms.** When only coefficients with h ≤ hMax and |k| ≤ kMax are
/// needed (a low-pass filter follows), the y pass needs only the columns h ≤ hMax and the z
/// pass only those rows of them with |k| ≤ kMax; the inverse runs the same passes in reverse
/// on a spectrum that is zero elsewhere. The x pass stays whole. At a quarter of Nyquist this
/// does about half the work of a full transform ("pruned transforms", FFTW FAQ).
///
/// The batches are single-threaded plans spread over `Parallelism.threads` workers. Every
/// pointer a plan is executed on keeps the 16-byte alignment FFTW planned with: planes and
/// pairs of rows start at multiples of 16 bytes when nx and ny are even, and band-limited
/// batches start at columns that are multiples of `columnBlock` and at even rows. `canSplit(_:)`
/// refuses other shapes.
///
/// FFTW's estimated plans for these batches can be ten times slower than measured ones, so a
/// group of plans is used only when all of it is measured (or in the wisdom file); until then
/// the methods answer nil or false and callers use 3-D plans.
public final class LinePassFFT: @unchecked Sendable {
    /// The box shape.
    public let size: SIMD3<Int>
    /// Columns (h) per band-limited batch: 8 complex values, one 64-byte cache line.
    static let columnBlock = 8
    /// Rows (k) per band-limited batch of the z pass.
    static let rowBlock = 8

    /// The part of the half spectrum a band covers: the first `columns` columns (h), and the
    /// rows (k) of the blocks starting at `rowStarts`. Every coefficient with h ≤ hMax and
    /// |k| ≤ kMax lies inside.
    public struct Band: Equatable, Sendable {
        /// Columns covered, a multiple of `columnBlock`.
        public var columns: Int
        /// First rows of the z pass's row blocks, disjoint and inside the box.
        public var rowStarts: [Int]
    }

    private let hCount: Int
    private let acceptsEstimatedPlans: Bool
    private let lock = NSLock()
    private var bandPlans: PlanGroup<BandPlans>?
    private var wholePlans: PlanGroup<WholePlans>?
    private var inPlacePlans: PlanGroup<InPlacePlans>?

    /// Whether `size` can be split into aligned batches: even nx and ny, at least 32 × 32.
    public static func canSplit(_ size: SIMD3<Int>) -> Bool {
        size.x % 2 == 0 && size.y % 2 == 0 && size.x >= 4 * columnBlock && size.y >= 4 * rowBlock && size.z >= 2
    }

    /// Nil for shapes `canSplit` refuses. Callers use the process's instance (`shared(for:)`);
    /// tests of the arithmetic make their own that accepts estimated plans, which give the
    /// same numbers more slowly.
    init?(size: SIMD3<Int>, acceptingEstimatedPlans: Bool) {
        guard Self.canSplit(size) else { return nil }
        self.size = size
        hCount = size.x / 2 + 1
        acceptsEstimatedPlans = acceptingEstimatedPlans
    }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var instances: [SIMD3<Int>: LinePassFFT] = [:]

    /// The process's instance for a shape (its plans are made once), nil when it cannot split.
    public static func shared(for size: SIMD3<Int>) -> LinePassFFT? {
        guard canSplit(size) else { return nil }
        sharedLock.lock(); defer { sharedLock.unlock() }
        if let known = instances[size] { return known }
        let made = LinePassFFT(size: size, acceptingEstimatedPlans: false)
        instances[size] = made
        return made
    }

    /// The instance to run instead of the 3-D `plan` of `size`: when that plan is only
    /// estimated, for the default thread count (loops that transform many small boxes side by
    /// side ask for one thread each and keep their plans), and the shape can split.
    static func instead(of plan: FFTPlan, size: SIMD3<Int>, threads: Int?) -> LinePassFFT? {
        guard plan.source == .estimated, threads == nil else { return nil }
        return shared(for: size)
    }

    // MARK: Band-limited transforms

    /// The band holding every coefficient with h ≤ hMax and |k| ≤ kMax (index units), or nil
    /// when it would cover most of the spectrum, so that a full transform is as quick, or when
    /// the batch plans are not measured.
    public func band(hMax: Int, kMax: Int) -> Band? {
        guard let layout = layout(hMax: hMax, kMax: kMax), plans(\.bandPlans, BandPlans.make) != nil else { return nil }
        return layout
    }

    /// The band holding every coefficient below the digital frequency `limit` (cycles per
    /// voxel of size `voxel`, the coarsest axis): |s_x|·voxel < limit needs h < limit·nx·a_x/voxel.
    public func band(belowDigitalFrequency limit: Double, grid: VoxelGrid, voxel: Double) -> Band? {
        let box = grid.boxLength
        return band(hMax: Int((limit * box.x / voxel).rounded(.up)), kMax: Int((limit * box.y / voxel).rounded(.up)))
    }

    /// The band's blocks, whatever the plans.
    func layout(hMax: Int, kMax: Int) -> Band? {
        let b = Self.columnBlock, rb = Self.rowBlock, ny = size.y
        let columns = (max(0, hMax) / b + 1) * b
        guard columns <= hCount, Double(columns) <= 0.85 * Double(hCount) else { return nil }
        let k = max(0, kMax)
        let positive = k / rb + 1                  // blocks 0, rb, … cover 0...k
        let negative = k == 0 ? 0 : (k - 1) / rb + 1 // blocks ending at ny cover ny−k ..< ny
        guard (positive + negative) * rb <= ny else { return nil }
        let starts = (0..<positive).map { $0 * rb } + (0..<negative).map { ny - (negative - $0) * rb }
        return Band(columns: columns, rowStarts: starts)
    }

    /// The fraction of a full transform's 1-D work a band needs (the x pass counted at half,
    /// real-to-complex): what `FFTCounts` records for the benchmark's floor.
    public func workFraction(of band: Band) -> Double {
        let (ny, nz) = (Double(size.y), Double(size.z)), h = Double(hCount)
        let full = 0.5 * ny * nz + h * nz + h * ny
        let done = 0.5 * ny * nz + Double(band.columns) * nz + Double(band.columns * band.rowStarts.count * Self.rowBlock)
        return done / full
    }

    /// Forward transform of `volume` into `spectrum`, exact inside `band` and undefined outside
    /// it, and not divided by the voxel count (unlike `FFT.forward`: the caller's filter,
    /// which must zero everything outside the band anyway, can fold in the factor).
    public func forwardUnscaled(_ volume: Volume, into spectrum: inout HalfSpectrum, band: Band) {
        precondition(volume.grid.size == size && spectrum.grid.size == size, "line-pass transform of the wrong shape")
        guard let plans = plans(\.bandPlans, BandPlans.make) else { preconditionFailure("band-limited transform without measured plans") }
        FFTCounts.add(size, .forward, fraction: workFraction(of: band))
        spectrum.grid = volume.grid
        let blocks = band.columns / Self.columnBlock
        withPointers(volume, &spectrum) { real, c in
            planes { l in
                fftwf_execute_dft_r2c(plans.x.forward.handle, real + l * self.planeReal, c + l * self.planeComplex)
                for j in 0..<blocks { self.execute(plans.y.forward, c + l * self.planeComplex + j * Self.columnBlock) }
            }
            bandZPass(plans.z.forward, c, band: band)
        }
    }

    /// Inverse transform of `spectrum`, which must be zero outside `band`, into `volume` (no
    /// scaling, as `FFT.backward`). The spectrum's contents are destroyed.
    public func backward(destroying spectrum: inout HalfSpectrum, into volume: inout Volume, band: Band) {
        precondition(volume.grid.size == size && spectrum.grid.size == size, "line-pass transform of the wrong shape")
        guard let plans = plans(\.bandPlans, BandPlans.make) else { preconditionFailure("band-limited transform without measured plans") }
        FFTCounts.add(size, .backward, fraction: workFraction(of: band))
        volume.grid = spectrum.grid
        let blocks = band.columns / Self.columnBlock
        withPointers(&volume, &spectrum) { real, c in
            bandZPass(plans.z.backward, c, band: band)
            planes { l in
                for j in 0..<blocks { self.execute(plans.y.backward, c + l * self.planeComplex + j * Self.columnBlock) }
                fftwf_execute_dft_c2r(plans.x.backward.handle, c + l * self.planeComplex, real + l * self.planeReal)
            }
        }
    }

    /// The z pass over the band's row blocks × column blocks, spread over the workers.
    private func bandZPass(_ plan: FFTPlan, _ c: UnsafeMutablePointer<fftwf_complex>, band: Band) {
        let blocks = band.columns / Self.columnBlock
        let rows = band.rowStarts
        Parallelism.forEachRange(rows.count * blocks) { _, tasks in
            for t in tasks { execute(plan, c + rows[t / blocks] * hCount + (t % blocks) * Self.columnBlock) }
        }
    }

    // MARK: Whole transforms

    /// Forward transform of `volume` into `spectrum`, divided by the voxel count as
    /// `FFT.forward`; false (nothing done) while the plans are not measured.
    func forward(_ volume: Volume, into spectrum: inout HalfSpectrum) -> Bool {
        precondition(volume.grid.size == size && spectrum.grid.size == size, "line-pass transform of the wrong shape")
        guard let plans = plans(\.wholePlans, WholePlans.make) else { return false }
        FFTCounts.add(size, .forward)
        spectrum.grid = volume.grid
        withPointers(volume, &spectrum) { real, c in
            planes { l in
                fftwf_execute_dft_r2c(plans.x.forward.handle, real + l * self.planeReal, c + l * self.planeComplex)
                self.execute(plans.y.forward, c + l * self.planeComplex)
            }
            wholeZPass(plans.z.forward, c)
        }
        spectrum.coefficients.withUnsafeMutableBufferPointer { FFT.scaleInPlace($0, by: 1 / Float(volume.grid.count)) }
        return true
    }

    /// Inverse transform of `spectrum` into `volume` (no scaling); false (nothing done) while
    /// the plans are not measured. The spectrum's contents are destroyed.
    func backward(destroying spectrum: inout HalfSpectrum, into volume: inout Volume) -> Bool {
        precondition(volume.grid.size == size && spectrum.grid.size == size, "line-pass transform of the wrong shape")
        guard let plans = plans(\.wholePlans, WholePlans.make) else { return false }
        FFTCounts.add(size, .backward)
        volume.grid = spectrum.grid
        withPointers(&volume, &spectrum) { real, c in
            wholeZPass(plans.z.backward, c)
            planes { l in
                self.execute(plans.y.backward, c + l * self.planeComplex)
                fftwf_execute_dft_c2r(plans.x.backward.handle, c + l * self.planeComplex, real + l * self.planeReal)
            }
        }
        return true
    }

    /// Whether the in-place transforms below can run now (their plans measured).
    func inPlaceReady() -> Bool {
        plans(\.wholePlans, WholePlans.make) != nil && plans(\.inPlacePlans, InPlacePlans.make) != nil
    }

    /// Forward transform in one buffer holding the map in FFTW's padded layout (rows of
    /// 2·(nx/2+1) floats, as `FFTInPlace` spreads them), leaving the spectrum there unscaled.
    /// Call only after `inPlaceReady()` answered true; the caller counts the transform.
    func forwardInPlace(_ raw: UnsafeMutableRawPointer) {
        let buffer = raw.assumingMemoryBound(to: fftwf_complex.self)
        guard let whole = plans(\.wholePlans, WholePlans.make), let x = plans(\.inPlacePlans, InPlacePlans.make) else {
            preconditionFailure("in-place line-pass transform without measured plans")
        }
        planes { l in
            let plane = buffer + l * self.planeComplex
            fftwf_execute_dft_r2c(x.forward.handle, UnsafeMutableRawPointer(plane).assumingMemoryBound(to: Float.self), plane)
            self.execute(whole.y.forward, plane)
        }
        wholeZPass(whole.z.forward, buffer)
    }

    /// Inverse transform in one buffer, leaving the map in FFTW's padded layout. Call only
    /// after `inPlaceReady()` answered true.
    func backwardInPlace(_ raw: UnsafeMutableRawPointer) {
        let buffer = raw.assumingMemoryBound(to: fftwf_complex.self)
        guard let whole = plans(\.wholePlans, WholePlans.make), let x = plans(\.inPlacePlans, InPlacePlans.make) else {
            preconditionFailure("in-place line-pass transform without measured plans")
        }
        wholeZPass(whole.z.backward, buffer)
        planes { l in
            let plane = buffer + l * self.planeComplex
            self.execute(whole.y.backward, plane)
            fftwf_execute_dft_c2r(x.backward.handle, plane, UnsafeMutableRawPointer(plane).assumingMemoryBound(to: Float.self))
        }
    }

    /// The z pass over pairs of rows (every column), spread over the workers.
    private func wholeZPass(_ plan: FFTPlan, _ c: UnsafeMutablePointer<fftwf_complex>) {
        Parallelism.forEachRange(size.y / 2) { _, pairs in
            for p in pairs { execute(plan, c + 2 * p * hCount) }
        }
    }

    // MARK: Plumbing

    private var planeReal: Int { size.x * size.y }
    private var planeComplex: Int { hCount * size.y }

    @inline(__always)
    private func execute(_ plan: FFTPlan, _ p: UnsafeMutablePointer<fftwf_complex>) { fftwf_execute_dft(plan.handle, p, p) }

    /// `body(l)` for every plane l, spread over the workers.
    private func planes(_ body: (Int) -> Void) {
        Parallelism.forEachRange(size.z) { _, range in for l in range { body(l) } }
    }

    private func withPointers(_ volume: Volume, _ spectrum: inout HalfSpectrum,
                              _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<fftwf_complex>) -> Void) {
        volume.voxels.withUnsafeBufferPointer { src in
            spectrum.coefficients.withUnsafeMutableBufferPointer { dst in
                // r2c out of place leaves its input intact, so the const cast is safe.
                dst.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: dst.count) { body(UnsafeMutablePointer(mutating: src.baseAddress!), $0) }
            }
        }
    }

    private func withPointers(_ volume: inout Volume, _ spectrum: inout HalfSpectrum,
                              _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<fftwf_complex>) -> Void) {
        volume.voxels.withUnsafeMutableBufferPointer { dst in
            spectrum.coefficients.withUnsafeMutableBufferPointer { src in
                src.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: src.count) { body(dst.baseAddress!, $0) }
            }
        }
    }

    /// A group of plans made once: nil inside when some plan was only estimated.
    private struct PlanGroup<Plans> { var plans: Plans? }

    /// The group at `key`, made on first use (under the lock: FFT calls may come from several
    /// threads), nil when not all of it is measured (unless estimated plans are accepted).
    private func plans<Plans>(_ key: ReferenceWritableKeyPath<LinePassFFT, PlanGroup<Plans>?>,
                              _ make: (LinePlanFactory) -> (plans: Plans, all: [FFTPlan])) -> Plans? {
        lock.lock(); defer { lock.unlock() }
        if let group = self[keyPath: key] { return group.plans }
        let made = make(LinePlanFactory(size: size))
        let usable = acceptsEstimatedPlans || made.all.allSatisfy { $0.source == .measured || $0.source == .wisdom }
        self[keyPath: key] = PlanGroup(plans: usable ? made.plans : nil)
        return usable ? made.plans : nil
    }

    /// A forward and a backward plan.
    private struct Pair { let forward, backward: FFTPlan }

    /// The x pass (out of place, one plane of rows), the y pass over the band's column blocks,
    /// and the z pass over its row × column blocks.
    private struct BandPlans {
        let x, y, z: Pair
        static func make(_ f: LinePlanFactory) -> (plans: BandPlans, all: [FFTPlan]) {
            let columns = fftwf_iodim(n: Int32(LinePassFFT.columnBlock), is: 1, os: 1)
            let rows = fftwf_iodim(n: Int32(LinePassFFT.rowBlock), is: Int32(f.h), os: Int32(f.h))
            let p = BandPlans(x: f.xPass(inPlace: false), y: f.lines("y band", along: 1, loops: [columns]),
                              z: f.lines("z band", along: 2, loops: [rows, columns]))
            return (p, [p.x, p.y, p.z].flatMap { [$0.forward, $0.backward] })
        }
    }

    /// The x pass (out of place), the y pass over all columns of a plane, and the z pass over
    /// all columns of two rows.
    private struct WholePlans {
        let x, y, z: Pair
        static func make(_ f: LinePlanFactory) -> (plans: WholePlans, all: [FFTPlan]) {
            let p = WholePlans(x: f.xPass(inPlace: false), y: f.lines("y whole", along: 1, loops: [fftwf_iodim(n: Int32(f.h), is: 1, os: 1)]),
                               z: f.lines("z whole", along: 2, loops: [fftwf_iodim(n: Int32(2 * f.h), is: 1, os: 1)]))
            return (p, [p.x, p.y, p.z].flatMap { [$0.forward, $0.backward] })
        }
    }

    /// The x pass in place (FFTW's padded rows).
    private struct InPlacePlans {
        let forward, backward: FFTPlan
        static func make(_ f: LinePlanFactory) -> (plans: InPlacePlans, all: [FFTPlan]) {
            let x = f.xPass(inPlace: true)
            return (InPlacePlans(forward: x.forward, backward: x.backward), [x.forward, x.backward])
        }
    }

    /// Makes the batch plans of one shape through the process's plan cache (wisdom, planning
    /// budget and ledger shared with the 3-D plans).
    private struct LinePlanFactory {
        let size: SIMD3<Int>
        let h: Int
        let shape: String
        /// About what measuring one batch plan takes: two 3-D transforms' time (FFTW tries its
        /// 1-D algorithms for the length whatever the batch; 0.065 s at 256³ and 0.14 s at
        /// 384³ here).
        let expectedSeconds: Double

        init(size: SIMD3<Int>) {
            self.size = size
            h = size.x / 2 + 1
            shape = "\(size.x)x\(size.y)x\(size.z)"
            expectedSeconds = 2 * FFTPlanCache.likelySeconds(points: size.x * size.y * size.z, threads: 2)
        }

        /// One plane of rows along x: ny real rows of nx (or, in place, of 2h floats) to ny
        /// complex rows of h, and back.
        func xPass(inPlace: Bool) -> Pair {
            let (nx, ny, h) = (size.x, size.y, self.h)
            let realDistance = Int32(inPlace ? 2 * h : nx)
            let cache = FFTPlanCache.shared
            let place = inPlace ? "in place" : "out of place"
            func plan(_ forward: Bool) -> FFTPlan {
                cache.linePlan(named: "x \(forward ? "r2c" : "c2r") \(place) \(shape)", realCount: inPlace ? 0 : nx * ny,
                               complexCount: h * ny, expectedSeconds: expectedSeconds) { r, c, flags in
                    var n = Int32(nx)
                    let real = inPlace ? UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self) : r
                    return forward
                        ? fftwf_plan_many_dft_r2c(1, &n, Int32(ny), real, nil, 1, realDistance, c, nil, 1, Int32(h), flags)
                        : fftwf_plan_many_dft_c2r(1, &n, Int32(ny), c, nil, 1, Int32(h), real, nil, 1, realDistance, flags)
                }
            }
            return Pair(forward: plan(true), backward: plan(false))
        }

        /// Complex lines along y (axis 1) or z (axis 2), in place, over the given loops.
        func lines(_ name: String, along axis: Int, loops: [fftwf_iodim]) -> Pair {
            let (ny, nz, h) = (size.y, size.z, self.h)
            let length = axis == 1 ? ny : nz, stride = axis == 1 ? h : h * ny
            let count = axis == 1 ? h * ny : h * ny * nz
            func plan(_ sign: Int32) -> FFTPlan {
                FFTPlanCache.shared.linePlan(named: "\(name) \(sign == FFTW_FORWARD ? "forward" : "backward") \(shape)", realCount: 0,
                                             complexCount: count, expectedSeconds: expectedSeconds) { _, c, flags in
                    var dim = fftwf_iodim(n: Int32(length), is: Int32(stride), os: Int32(stride))
                    var loops = loops
                    return fftwf_plan_guru_dft(1, &dim, Int32(loops.count), &loops, c, c, sign, flags)
                }
            }
            return Pair(forward: plan(FFTW_FORWARD), backward: plan(FFTW_BACKWARD))
        }
    }
}

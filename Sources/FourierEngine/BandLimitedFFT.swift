import CFFTW3f
import Foundation
import MapbookCore
import MapModel

/// Real 3-D transforms for spectra that matter only at low frequency: the forward transform
/// computes just the coefficients inside a band, and the inverse assumes zeros outside it.
///
/// A 3-D transform is three passes of 1-D transforms, along x (real to complex), then y, then
/// z. When only coefficients with h ≤ hMax and |k| ≤ kMax are needed (a low-pass filter
/// follows), the y pass needs only the columns h ≤ hMax and the z pass only those rows of
/// them with |k| ≤ kMax; the inverse runs the same passes in reverse on a spectrum that is
/// zero elsewhere. The x pass stays whole. At a quarter of Nyquist this does about half the
/// work of a full transform (FFTW pruned transforms, "FFTW FAQ: pruned transforms").
///
/// The passes run as batches of 1-D transforms planned once per shape (single-threaded, the
/// batches spread over `Parallelism.threads` workers), so no plan depends on the band. Each
/// batch covers `columnBlock` columns and, along z, `rowBlock` rows, and starts at an even row
/// and a column that is a multiple of the block: every pointer a plan is executed on keeps the
/// 16-byte alignment FFTW planned with. That needs even nx and ny; `init` fails otherwise.
///
/// FFTW's estimated plans for these batches can be ten times slower than measured ones (the
/// z batches most), which would make a band-limited transform slower than a full one. So the
/// batches are used only once all six plans are measured (or in the wisdom file); until then
/// `band` answers nil and callers use full transforms.
public final class BandLimitedFFT: @unchecked Sendable {
    /// The box shape.
    public let size: SIMD3<Int>
    /// Columns (h) per 1-D batch: 8 complex values, one 64-byte cache line.
    static let columnBlock = 8
    /// Rows (k) per batch of the z pass.
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
    private lazy var plans: Plans? = Plans(size: size, acceptingEstimated: acceptsEstimatedPlans)

    /// Nil when nx or ny is odd (the batches could not all keep FFTW's alignment) or the box is
    /// too small to gain anything.
    public convenience init?(size: SIMD3<Int>) {
        self.init(size: size, acceptingEstimatedPlans: false)
    }

    /// As `init(size:)`; tests of the arithmetic accept estimated plans, which give the same
    /// numbers more slowly.
    init?(size: SIMD3<Int>, acceptingEstimatedPlans: Bool) {
        guard size.x % 2 == 0, size.y % 2 == 0, size.x >= 4 * Self.columnBlock, size.y >= 4 * Self.rowBlock, size.z >= 2 else { return nil }
        self.size = size
        hCount = size.x / 2 + 1
        acceptsEstimatedPlans = acceptingEstimatedPlans
    }

    /// The band holding every coefficient with h ≤ hMax and |k| ≤ kMax (index units), or nil
    /// when it would cover most of the spectrum, so that a full transform is as quick, or when
    /// the batch plans are not measured (see above).
    public func band(hMax: Int, kMax: Int) -> Band? {
        guard plans != nil else { return nil }
        return layout(hMax: hMax, kMax: kMax)
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

    /// The band holding every coefficient below the digital frequency `limit` (cycles per
    /// voxel of size `voxel`, the coarsest axis): |s_x|·voxel < limit needs h < limit·nx·a_x/voxel.
    public func band(belowDigitalFrequency limit: Double, grid: VoxelGrid, voxel: Double) -> Band? {
        let box = grid.boxLength
        return band(hMax: Int((limit * box.x / voxel).rounded(.up)), kMax: Int((limit * box.y / voxel).rounded(.up)))
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
        precondition(volume.grid.size == size && spectrum.grid.size == size, "band-limited transform of the wrong shape")
        guard let plans = self.plans else { preconditionFailure("band-limited transform without measured plans") }
        FFTCounts.add(size, .forward, fraction: workFraction(of: band))
        spectrum.grid = volume.grid
        let (ny, nz, h) = (size.y, size.z, hCount)
        let planeReal = size.x * ny, planeComplex = h * ny
        let blocks = band.columns / Self.columnBlock
        volume.voxels.withUnsafeBufferPointer { src in
            spectrum.coefficients.withUnsafeMutableBufferPointer { dst in
                // r2c out of place leaves its input intact, so the const cast is safe.
                let real = UnsafeMutablePointer(mutating: src.baseAddress!)
                dst.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: dst.count) { c in
                    Parallelism.forEachRange(nz) { _, planes in
                        for l in planes {
                            let plane = c + l * planeComplex
                            fftwf_execute_dft_r2c(plans.xForward.handle, real + l * planeReal, plane)
                            for j in 0..<blocks { fftwf_execute_dft(plans.yForward.handle, plane + j * Self.columnBlock, plane + j * Self.columnBlock) }
                        }
                    }
                    zPass(plans.zForward, c, band: band)
                }
            }
        }
    }

    /// Inverse transform of `spectrum`, which must be zero outside `band`, into `volume` (no
    /// scaling, as `FFT.backward`). The spectrum's contents are destroyed.
    public func backward(destroying spectrum: inout HalfSpectrum, into volume: inout Volume, band: Band) {
        precondition(volume.grid.size == size && spectrum.grid.size == size, "band-limited transform of the wrong shape")
        guard let plans = self.plans else { preconditionFailure("band-limited transform without measured plans") }
        FFTCounts.add(size, .backward, fraction: workFraction(of: band))
        volume.grid = spectrum.grid
        let (ny, nz, h) = (size.y, size.z, hCount)
        let planeReal = size.x * ny, planeComplex = h * ny
        let blocks = band.columns / Self.columnBlock
        spectrum.coefficients.withUnsafeMutableBufferPointer { src in
            volume.voxels.withUnsafeMutableBufferPointer { dst in
                let real = dst.baseAddress!
                src.baseAddress!.withMemoryRebound(to: fftwf_complex.self, capacity: src.count) { c in
                    zPass(plans.zBackward, c, band: band)
                    Parallelism.forEachRange(nz) { _, planes in
                        for l in planes {
                            let plane = c + l * planeComplex
                            for j in 0..<blocks { fftwf_execute_dft(plans.yBackward.handle, plane + j * Self.columnBlock, plane + j * Self.columnBlock) }
                            fftwf_execute_dft_c2r(plans.xBackward.handle, plane, real + l * planeReal)
                        }
                    }
                }
            }
        }
    }

    /// The z pass over the band's row blocks × column blocks, spread over the workers.
    private func zPass(_ plan: FFTPlan, _ c: UnsafeMutablePointer<fftwf_complex>, band: Band) {
        let blocks = band.columns / Self.columnBlock
        let rows = band.rowStarts
        Parallelism.forEachRange(rows.count * blocks) { _, tasks in
            for t in tasks {
                let p = c + rows[t / blocks] * hCount + (t % blocks) * Self.columnBlock
                fftwf_execute_dft(plan.handle, p, p)
            }
        }
    }

    /// The six batch plans of one shape, from the process's plan cache; nil when any of them
    /// is only estimated, unless `acceptingEstimated`.
    private struct Plans {
        let xForward, xBackward, yForward, yBackward, zForward, zBackward: FFTPlan

        init?(size: SIMD3<Int>, acceptingEstimated: Bool) {
            let (nx, ny, nz) = (size.x, size.y, size.z)
            let h = nx / 2 + 1
            let cache = FFTPlanCache.shared
            let shape = "\(nx)x\(ny)x\(nz)"
            var n = Int32(nx)
            xForward = cache.linePlan(named: "x r2c \(shape)", realCount: nx * ny, complexCount: h * ny, points: nx * ny) { r, c, flags in
                fftwf_plan_many_dft_r2c(1, &n, Int32(ny), r, nil, 1, Int32(nx), c, nil, 1, Int32(h), flags)
            }
            xBackward = cache.linePlan(named: "x c2r \(shape)", realCount: nx * ny, complexCount: h * ny, points: nx * ny) { r, c, flags in
                fftwf_plan_many_dft_c2r(1, &n, Int32(ny), c, nil, 1, Int32(h), r, nil, 1, Int32(nx), flags)
            }
            func lines(_ length: Int, stride: Int, loops: [fftwf_iodim], sign: Int32, count: Int, name: String) -> FFTPlan {
                let batch = loops.reduce(2 * length) { $0 * Int($1.n) }
                return cache.linePlan(named: "\(name) \(sign < 0 ? "forward" : "backward") \(shape)", realCount: 0, complexCount: count,
                                      points: batch) { _, c, flags in
                    var dim = fftwf_iodim(n: Int32(length), is: Int32(stride), os: Int32(stride))
                    var loops = loops
                    return fftwf_plan_guru_dft(1, &dim, Int32(loops.count), &loops, c, c, sign, flags)
                }
            }
            let columns = fftwf_iodim(n: Int32(BandLimitedFFT.columnBlock), is: 1, os: 1)
            let rows = fftwf_iodim(n: Int32(BandLimitedFFT.rowBlock), is: Int32(h), os: Int32(h))
            yForward = lines(ny, stride: h, loops: [columns], sign: FFTW_FORWARD, count: h * ny, name: "y")
            yBackward = lines(ny, stride: h, loops: [columns], sign: FFTW_BACKWARD, count: h * ny, name: "y")
            zForward = lines(nz, stride: h * ny, loops: [rows, columns], sign: FFTW_FORWARD, count: h * ny * nz, name: "z")
            zBackward = lines(nz, stride: h * ny, loops: [rows, columns], sign: FFTW_BACKWARD, count: h * ny * nz, name: "z")
            let all = [xForward, xBackward, yForward, yBackward, zForward, zBackward]
            guard acceptingEstimated || all.allSatisfy({ $0.source == .measured || $0.source == .wisdom }) else { return nil }
        }
    }
}

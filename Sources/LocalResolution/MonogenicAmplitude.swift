import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The monogenic amplitude of a map high-passed at a trial frequency, with its envelope
/// low-passed at the same frequency — MonoRes's measure of local signal at that frequency.
///
/// For a real map f the Riesz transform has components with transfer functions −i·s_k/|s|;
/// the amplitude sqrt(f² + Σ_k (R_k f)²) is a phase-invariant local envelope (exactly 1 for a
/// plane wave). As xmipp does (`amplitudeMonoSig3D_LPF`), the map is first high-passed with a
/// raised-cosine edge from u − 0.02 to u, and the envelope is then low-passed with a raised
/// cosine from u to u + 0.02 (digital frequency, cycles per voxel).
///
/// The object owns its working buffers, so a sweep over many frequencies allocates nothing:
/// one spectrum, two volumes, and the caller's output.
public final class MonogenicAmplitude {
    /// The grid the spectra belong to.
    public let grid: VoxelGrid
    /// Voxel size that converts physical frequency (Å⁻¹) to digital frequency (the coarsest
    /// axis; the method assumes near-cubic voxels).
    public let voxel: Double
    /// Width of the raised-cosine edges in digital frequency (xmipp: 0.02).
    public var edge = 0.02
    private let sx: [Float], sy: [Float], sz: [Float]
    /// Digital frequency |s|·a of every coefficient, computed once for the whole sweep.
    private let digital: AlignedArray<Float>
    private var work: HalfSpectrum
    private var real: Volume
    private var sum: Volume
    /// Transforms for the envelope, which is needed only below its low-pass limit (nil for
    /// shapes `LinePassFFT` does not handle).
    private let envelopeFFT: LinePassFFT?

    /// Prepares buffers for maps on `grid`.
    public init(grid: VoxelGrid) {
        self.grid = grid
        voxel = grid.voxelSize.max()
        func axis(_ n: Int, _ length: Double, half: Bool) -> [Float] {
            (0..<(half ? n / 2 + 1 : n)).map { i in Float(Double(!half && i > n / 2 ? i - n : i) / length) }
        }
        let box = grid.boxLength
        sx = axis(grid.size.x, box.x, half: true)
        sy = axis(grid.size.y, box.y, half: false)
        sz = axis(grid.size.z, box.z, half: false)
        let n = grid.size, hCount = n.x / 2 + 1
        let a = Float(voxel)
        let (fx, fy, fz) = (sx, sy, sz)
        digital = AlignedArray(unsafeUninitializedCount: hCount * n.y * n.z) { d in
            Parallelism.forEachRange(n.z) { _, zr in
                for l in zr { for k in 0..<n.y {
                    let row = hCount * (k + n.y * l)
                    let yz = fy[k] * fy[k] + fz[l] * fz[l]
                    for h in 0..<hCount { d.initializeElement(at: row + h, to: (fx[h] * fx[h] + yz).squareRoot() * a) }
                } }
            }
        }
        work = HalfSpectrum(grid: grid)
        real = Volume(grid: grid)
        sum = Volume(grid: grid)
        envelopeFFT = LinePassFFT.shared(for: grid.size)
    }

    /// High-pass gain at digital frequency v for trial frequency u.
    public static func highPass(_ v: Double, u: Double, edge: Double) -> Double {
        let uH = max(u - edge, 0)
        if v < uH { return 0 }
        if v >= u { return 1 }
        return 0.5 * (1 + cos(Double.pi * (v - u) / (u - uH)))
    }

    /// Envelope low-pass gain at digital frequency v for trial frequency u. At Nyquist (u =
    /// 0.5) the edge has zero width; xmipp then divides by zero, here it is a hard cut at u.
    public static func lowPass(_ v: Double, u: Double, edge: Double) -> Double {
        let uL = min(u + edge, 0.5)
        if v <= u { return 1 }
        if uL - u < 1e-9 || v >= uL { return 0 }
        return 0.5 * (1 + cos(Double.pi * (v - u) / (uL - u)))
    }

    /// Writes the amplitude of `spectrum` at digital frequency `u` into `out`.
    ///
    /// The envelope's low-pass keeps nothing above u + edge, so its two transforms are
    /// band-limited ones where that band is a small part of the spectrum (below about 0.4
    /// cycles per voxel): about half the work of full transforms at a quarter of Nyquist.
    public func amplitude(of spectrum: HalfSpectrum, u: Double, into out: inout Volume) {
        precondition(spectrum.grid.size == grid.size && out.grid.size == grid.size)
        sumOfSquares(of: spectrum, u: u, scratch: &out)
        if let fft = envelopeFFT, let band = fft.band(belowDigitalFrequency: min(u + edge, 0.5), grid: grid, voxel: voxel) {
            fft.forwardUnscaled(sum, into: &work, band: band)
            lowPassWork(u: u, scale: 1 / Float(grid.count))
            fft.backward(destroying: &work, into: &out, band: band)
        } else {
            FFT.forward(sum, into: &work)
            lowPassWork(u: u, scale: 1)
            FFT.backward(destroying: &work, into: &out)
        }
    }

    /// Writes the full-band amplitude of `spectrum` (no high-pass but the DC term removed, no
    /// envelope low-pass) into `out`; MonoRes uses it to refine the mask.
    public func fullBandAmplitude(of spectrum: HalfSpectrum, into out: inout Volume) {
        precondition(spectrum.grid.size == grid.size && out.grid.size == grid.size)
        sumOfSquares(of: spectrum, u: nil, scratch: &out)
        out.voxels = sum.voxels
        sum = Volume(grid: grid)
    }

    /// work = Hhp·F (component 0) or −i·(s_k/|s|)·Hhp·F (components 1–3); with u nil, Hhp is
    /// 1 everywhere but DC.
    ///
    /// Along a row (fixed k, l) the digital frequency grows with h, so each row splits into
    /// a stopped part (Hhp = 0), the raised-cosine edge and a passed part (Hhp = 1), found by
    /// bisection; the passed part, nearly all of the row, is then a branch-free loop.
    private func fillComponent(_ component: Int, of spectrum: HalfSpectrum, u: Double?) {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let a = Float(voxel)
        let uH = Float(u.map { max($0 - edge, 0) } ?? 0), uF = Float(u ?? 0)
        let (sy, sz) = (self.sy, self.sz)
        let edgeWidth = uF - uH
        // At an even axis's Nyquist index the frequency sign is ambiguous, so the odd Riesz
        // multiplier −i·s_k/|s| would break Hermitian symmetry (and with it mirror symmetry of
        // the result); that component is set to zero there, as for a discrete Hilbert transform.
        let nyquistX = n.x % 2 == 0 ? n.x / 2 : -1, nyquistY = n.y % 2 == 0 ? n.y / 2 : -1, nyquistZ = n.z % 2 == 0 ? n.z / 2 : -1
        // The per-column Riesz factor: s_x for component 1 (0 at Nyquist), 1 for the others.
        let columnFactor: [Float] = component == 1 ? sx.indices.map { $0 == nyquistX ? 0 : sx[$0] } : Array(repeating: 1, count: hCount)
        work.coefficients.withUnsafeMutableBufferPointer { w in
            spectrum.coefficients.withUnsafeBufferPointer { f in
              digital.withUnsafeBufferPointer { dig in
                columnFactor.withUnsafeBufferPointer { cf in
                  Parallelism.forEachRange(n.z) { _, zr in
                    for l in zr {
                        for k in 0..<n.y {
                            let row = hCount * (k + n.y * l)
                            // The Riesz factor s_k·a/|v| splits into a per-row (or per-plane)
                            // constant for y and z and a per-column one for x.
                            let rowFactor: Float
                            switch component {
                            case 2: rowFactor = k == nyquistY ? 0 : sy[k] * a
                            case 3: rowFactor = l == nyquistZ ? 0 : sz[l] * a
                            default: rowFactor = a
                            }
                            // DC (v = 0) is always stopped.
                            let stop = max(Self.firstAtLeast(uH, row: row, count: hCount, dig), dig[row] == 0 ? 1 : 0)
                            let pass = max(stop, Self.firstAtLeast(uF, row: row, count: hCount, dig))
                            for j in row..<(row + stop) { w[j] = .zero }
                            for h in stop..<pass {
                                let j = row + h, v = dig[j]
                                let g = 0.5 * (1 + cos(Float.pi * (v - uF) / edgeWidth))
                                w[j] = component == 0 ? ComplexF(g * f[j].re, g * f[j].im)
                                                      : Self.riesz(f[j], g * (cf[h] * rowFactor / v))
                            }
                            if component == 0 {
                                for j in (row + pass)..<(row + hCount) { w[j] = f[j] }
                            } else {
                                for h in pass..<hCount {
                                    let j = row + h
                                    w[j] = Self.riesz(f[j], cf[h] * rowFactor / dig[j])
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

    /// −i·g·c: −i·(a + ib) = b − ia.
    @inline(__always)
    static func riesz(_ c: ComplexF, _ g: Float) -> ComplexF { ComplexF(g * c.im, -g * c.re) }

    /// The first h of the row starting at `row` whose digital frequency is at least `t`
    /// (`count` when none is): the frequencies grow along a row, so bisection finds it, with
    /// the same comparisons a scan would make.
    @inline(__always)
    static func firstAtLeast(_ t: Float, row: Int, count: Int, _ dig: UnsafeBufferPointer<Float>) -> Int {
        var lo = 0, hi = count
        while lo < hi { let m = (lo + hi) / 2; if dig[row + m] < t { lo = m + 1 } else { hi = m } }
        return lo
    }

    /// The first h of the row whose digital frequency exceeds `t`.
    @inline(__always)
    static func firstAbove(_ t: Float, row: Int, count: Int, _ dig: UnsafeBufferPointer<Float>) -> Int {
        var lo = 0, hi = count
        while lo < hi { let m = (lo + hi) / 2; if dig[row + m] <= t { lo = m + 1 } else { hi = m } }
        return lo
    }

    /// sum = sqrt(f² + Σ_k (R_k f)²) for the high-passed components of `spectrum` (all but DC
    /// when `u` is nil). The first component is transformed straight into `sum`, the next two
    /// into `real` and `scratch` (the caller's output, overwritten later anyway) and squared
    /// together with it, and the last is added under the root: the four components cost two
    /// passes over the map.
    private func sumOfSquares(of spectrum: HalfSpectrum, u: Double?, scratch: inout Volume) {
        for component in 0..<4 {
            fillComponent(component, of: spectrum, u: u)
            switch component {
            case 0: FFT.backward(destroying: &work, into: &sum)
            case 1: FFT.backward(destroying: &work, into: &real)
            case 2:
                FFT.backward(destroying: &work, into: &scratch)
                addSquares(real, scratch)
            default:
                FFT.backward(destroying: &work, into: &real)
                addLastSquare()
            }
        }
    }

    /// sum = sum² + a² + b²: components 0, 1 and 2 in one pass.
    private func addSquares(_ a: Volume, _ b: Volume) {
        a.voxels.withUnsafeBufferPointer { x in
            b.voxels.withUnsafeBufferPointer { y in
                sum.voxels.withUnsafeMutableBufferPointer { s in
                    Parallelism.forEachRange(s.count, minimumPerChunk: 1 << 15) { _, range in
                        for i in range { s[i] = s[i] * s[i] + x[i] * x[i] + y[i] * y[i] }
                    }
                }
            }
        }
    }

    /// sum = sqrt(sum + real²): component 3 and the root in one pass.
    private func addLastSquare() {
        real.voxels.withUnsafeBufferPointer { r in
            sum.voxels.withUnsafeMutableBufferPointer { s in
                Parallelism.forEachRange(s.count, minimumPerChunk: 1 << 15) { _, range in
                    for i in range { s[i] = (s[i] + r[i] * r[i]).squareRoot() }
                }
            }
        }
    }

    /// The envelope's low-pass on `work`, times `scale`: kept up to u, a raised cosine to
    /// u + edge, zero beyond; each row split by bisection as in `fillComponent`.
    private func lowPassWork(u: Double, scale: Float) {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let uF = Float(u), uL = Float(min(u + edge, 0.5))
        let hard = uL - uF < 1e-9
        work.coefficients.withUnsafeMutableBufferPointer { w in
          digital.withUnsafeBufferPointer { dig in
            Parallelism.forEachRange(n.z) { _, zr in
                for l in zr {
                    for k in 0..<n.y {
                        let row = hCount * (k + n.y * l)
                        let kept = Self.firstAbove(uF, row: row, count: hCount, dig)
                        let zero = hard ? kept : max(kept, Self.firstAtLeast(uL, row: row, count: hCount, dig))
                        if scale != 1 {
                            for j in row..<(row + kept) { w[j] = ComplexF(scale * w[j].re, scale * w[j].im) }
                        }
                        for h in kept..<zero {
                            let j = row + h
                            let g = scale * 0.5 * (1 + cos(Float.pi * (dig[j] - uF) / (uL - uF)))
                            w[j] = ComplexF(g * w[j].re, g * w[j].im)
                        }
                        for j in (row + zero)..<(row + hCount) { w[j] = .zero }
                    }
                }
            }
          }
        }
    }
}

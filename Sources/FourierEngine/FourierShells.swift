import MapbookCore
import MapModel

/// Fourier shells of one grid: which shell every half-space coefficient belongs to, with the
/// frequencies and weights that shell statistics need.
///
/// Shells are correct for non-cubic boxes and non-cubic voxels: a coefficient (h,k,l) has
/// physical frequency s = (h/Lx, k/Ly, l/Lz) Å⁻¹ (k, l signed), radius r = L·s in units of
/// the longest box edge L, and shell i = round(r). For a cubic box with cubic voxels this is
/// exactly RELION's shell. Shells run from 0 to `maxShell`, the largest sphere inside the
/// sampled reciprocal box; coefficients beyond it (the corners) belong to no shell.
///
/// Half-space coefficients carry a Hermitian weight — 2 for 0 < h < nx/2, 1 on the h = 0 and
/// h = nx/2 planes — so that weighted half-space sums equal full-sphere sums.
public final class FourierShells: @unchecked Sendable {
    /// The real-space grid.
    public let grid: VoxelGrid
    /// The reference length L (Å): the longest box edge.
    public let referenceLength: Double
    /// The outermost complete shell.
    public let maxShell: Int
    /// Squared frequency (Å⁻²) along each axis, indexed by stored index.
    public let sx2: [Double], sy2: [Double], sz2: [Double]
    /// Shell of every coefficient, `UInt16.max` beyond `maxShell`.
    public let shellIndex: AlignedArray<UInt16>
    /// Hermitian-weighted coefficient count per shell (the full-sphere count).
    public let counts: [Double]

    /// Sentinel shell index for coefficients outside every shell.
    public static let outside = UInt16.max

    /// Builds the shell table for `grid`.
    public init(grid: VoxelGrid) {
        self.grid = grid
        let n = grid.size
        let box = grid.boxLength
        let L = max(box.x, box.y, box.z)
        referenceLength = L
        let nyquist = min(1 / (2 * grid.voxelSize.x), 1 / (2 * grid.voxelSize.y), 1 / (2 * grid.voxelSize.z))
        maxShell = Int((L * nyquist + 1e-9).rounded(.down))
        func axis(_ count: Int, _ length: Double, half: Bool) -> [Double] {
            (0..<(half ? count / 2 + 1 : count)).map { i in
                let signed = (!half && i > count / 2) ? i - count : i
                let s = Double(signed) / length
                return s * s
            }
        }
        sx2 = axis(n.x, box.x, half: true)
        sy2 = axis(n.y, box.y, half: false)
        sz2 = axis(n.z, box.z, half: false)
        let hCount = n.x / 2 + 1
        let maxShell = self.maxShell
        let (sx2, sy2, sz2) = (self.sx2, self.sy2, self.sz2)
        var table = AlignedArray<UInt16>(repeating: 0, count: hCount * n.y * n.z)
        let chunks = Parallelism.chunkCount(n.z)
        var partial = [[Double]](repeating: [Double](repeating: 0, count: maxShell + 1), count: chunks)
        table.withUnsafeMutableBufferPointer { t in
            partial.withUnsafeMutableBufferPointer { partialBuf in
                Parallelism.forEachRange(n.z) { c, zr in
                    var local = [Double](repeating: 0, count: maxShell + 1)
                    for l in zr {
                        for k in 0..<n.y {
                            let syz = sy2[k] + sz2[l]
                            let row = hCount * (k + n.y * l)
                            for h in 0..<hCount {
                                // Radius + 0.5 truncated = round half up (radii are never negative).
                                let i = Int(L * (sx2[h] + syz).squareRoot() + 0.5)
                                if i <= maxShell {
                                    t[row + h] = UInt16(i)
                                    local[i] += FourierShells.hermitianWeight(h, nx: n.x)
                                } else {
                                    t[row + h] = FourierShells.outside
                                }
                            }
                        }
                    }
                    partialBuf[c] = local
                }
            }
        }
        shellIndex = table
        var total = [Double](repeating: 0, count: maxShell + 1)
        for p in partial { for i in 0...maxShell { total[i] += p[i] } }
        counts = total
    }

    /// Runs `row` over every (k, l) row of the half-space in parallel (rows of one z-plane stay
    /// on one worker) and returns per-shell sums of `components` accumulators, in Double.
    ///
    /// `row(k, l, start, acc)` visits coefficients `start ..< start + hCount` of row (k, l) and
    /// adds into `acc[components·shell + c]`. Every z-plane has its own `acc`, and the planes are
    /// added up in order at the end, so the sums — to the last bit — do not depend on how many
    /// workers shared the planes out (simulated datasets rely on this to be byte-identical).
    /// `slots` accumulators per component (default: one per shell); a caller that also sums the
    /// coefficients outside every shell asks for one more.
    @inline(__always)
    func shellSums(components: Int, slots: Int? = nil, _ row: (_ k: Int, _ l: Int, _ start: Int, _ acc: UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let n = grid.size
        let hCount = n.x / 2 + 1
        let width = components * (slots ?? shellCount)
        // Small grids (the windows of a local FSC) stay on the calling thread.
        let planesPerChunk = max(1, (1 << 16) / max(1, hCount * n.y))
        var partial = [Double](repeating: 0, count: n.z * width)
        partial.withUnsafeMutableBufferPointer { all in
            Parallelism.forEachRange(n.z, minimumPerChunk: planesPerChunk) { _, zr in
                for l in zr {
                    let acc = all.baseAddress! + l * width
                    for k in 0..<n.y { row(k, l, hCount * (k + n.y * l), acc) }
                }
            }
        }
        var total = [Double](repeating: 0, count: width)
        for l in 0..<n.z { for j in 0..<width { total[j] += partial[l * width + j] } }
        return total
    }

    /// Hermitian weight of a coefficient in column h.
    @inline(__always)
    public static func hermitianWeight(_ h: Int, nx: Int) -> Double {
        (h == 0 || (nx % 2 == 0 && h == nx / 2)) ? 1 : 2
    }

    /// Number of shells (`maxShell + 1`).
    public var shellCount: Int { maxShell + 1 }

    /// Spatial frequency (Å⁻¹) at the centre of shell i.
    public func frequency(_ i: Int) -> Double { Double(i) / referenceLength }

    /// Resolution (Å) of shell i; infinite for shell 0.
    public func resolution(_ i: Int) -> Double { i == 0 ? .infinity : referenceLength / Double(i) }

    /// The Nyquist resolution along the coarsest axis (Å).
    public var nyquistResolution: Double { 2 * grid.voxelSize.max() }

    /// The shell whose centre is nearest to resolution `d` Å (clamped to the shell range).
    public func shell(atResolution d: Double) -> Int {
        min(maxShell, max(0, Int((referenceLength / d).rounded())))
    }
}

import Foundation
import MapbookCore
import MapModel

/// A Fourier shell correlation curve: one value per shell, with the shell's frequency,
/// resolution and Hermitian-weighted coefficient count.
public struct FSCCurve: Equatable, Sendable, Codable {
    /// Spatial frequency at each shell centre (Å⁻¹).
    public var frequency: [Double]
    /// Correlation per shell; NaN where the FSC is undefined: the shell is empty, or either map
    /// holds no power above rounding level in it (the rule is on `FourierShells.fsc`). JSON
    /// writes these as null, the XML and TSV writers leave them out, plots leave a gap.
    public var fsc: [Double]
    /// Full-sphere coefficient count per shell.
    public var count: [Double]

    /// A curve from its per-shell arrays (all the same length).
    public init(frequency: [Double], fsc: [Double], count: [Double]) {
        precondition(frequency.count == fsc.count && fsc.count == count.count, "FSC arrays differ in length")
        self.frequency = frequency
        self.fsc = fsc
        self.count = count
    }

    /// Number of shells.
    public var shellCount: Int { fsc.count }

    /// Resolution (Å) of shell i (infinite for shell 0).
    public func resolution(_ i: Int) -> Double { frequency[i] > 0 ? 1 / frequency[i] : .infinity }

    /// Whether shell i has a value (is not undefined; see `FourierShells.fsc`).
    public func isDefined(_ i: Int) -> Bool { i >= 0 && i < shellCount && !fsc[i].isNaN }

    /// A curve with the same shells and new values.
    public func with(values: [Double]) -> FSCCurve {
        var c = self
        c.fsc = values
        return c
    }
}

/// Per-shell sums of two spectra: Σ Re(F1·F2*), Σ|F1|², Σ|F2|², Hermitian-weighted, in Double,
/// and each map's total power Σ|F|² over every coefficient (the corners beyond the last shell
/// included): by Parseval, the mean square voxel value.
struct ShellCrossSums {
    var cross: [Double]
    var power1: [Double]
    var power2: [Double]
    var total1: Double
    var total2: Double
}

/// The rounding floor: the power a shell of a Float map holds when it holds nothing but
/// rounding residue.
///
/// A map that went through Float arithmetic carries rounding errors in every coefficient: the
/// voxels' own rounding (at most ε/2 of each value) and each FFT's (at most about
/// 3.4·log₂N·ε of the transform's 2-norm for N points, Higham's bound for Cooley–Tukey). Both
/// scale with the map's total power P = Σ|F|² (mean square voxel, by Parseval) and spread
/// over the N coefficients, so the residue's mean power per coefficient is of order
/// (c·ε)²·P/N. The floor is that with c = k = 16·log₂N: the worst-case bound of four
/// transforms in a row (4 × 3.4 < 16). Rounding errors add up randomly rather than in the
/// worst case: the residue measured in shells beyond a low-pass was 1.5–11 ε²·P/N after one
/// to three transforms, with FFTW's estimated, measured and patient plans alike, at least 6000
/// times below the floor (k² ≈ 7·10⁴ for 48³ voxels). The floor is still about 10⁻⁹ of the
/// map's mean power per coefficient, far below any shell with real signal or noise.
/// ε = 2⁻²³ (Float's spacing at 1).
public enum RoundingFloor {
    /// Float's machine epsilon, 2⁻²³.
    public static let epsilon = Double(Float.ulpOfOne)

    /// k = 16·log₂N for a transform of N voxels (N ≥ 2).
    public static func factor(voxelCount n: Int) -> Double { 16 * max(1, log2(Double(max(2, n)))) }

    /// The floor on the mean power per coefficient of a shell, for a map of `voxelCount` voxels
    /// and total power `totalPower` (Σ|F|² over the full sphere, in the `HalfSpectrum`
    /// normalisation): (k·ε)²·P/N.
    public static func meanPower(totalPower: Double, voxelCount n: Int) -> Double {
        let k = factor(voxelCount: n) * epsilon
        return k * k * totalPower / Double(max(1, n))
    }
}

extension FourierShells {
    /// The FSC between two spectra on this grid.
    ///
    /// As RELION: no mean subtraction, FSC = Σ Re(F1 F2*) / sqrt(Σ|F1|² Σ|F2|²) per shell;
    /// unlike RELION, sums are Hermitian-weighted (full-sphere sums).
    ///
    /// **Undefined shells.** A shell's FSC is undefined (NaN) when the shell is empty or when
    /// either map's mean power per coefficient in it is at or below that map's rounding floor
    /// (`RoundingFloor`): such a map holds nothing but rounding residue there — beyond a
    /// low-pass, or everywhere but shell 0 for a constant map, everywhere for an all-zero one —
    /// and a correlation with residue is noise that depends on the CPU's FFT code path, not a
    /// property of the maps. Any shell, shell 0 included, can be undefined; shell 0 (the DC
    /// term alone, which can come out −1) is otherwise reported as computed (callers that
    /// follow RELION set it to 1). How a resolution is read from a curve with undefined shells
    /// is on `FSCCurve.resolution(at:)`.
    public func fsc(_ a: HalfSpectrum, _ b: HalfSpectrum) -> FSCCurve {
        precondition(a.grid.size == grid.size && b.grid.size == grid.size, "spectra are not on this grid")
        let sums = crossSums(a, b)
        let floor1 = RoundingFloor.meanPower(totalPower: sums.total1, voxelCount: grid.count)
        let floor2 = RoundingFloor.meanPower(totalPower: sums.total2, voxelCount: grid.count)
        var values = [Double](repeating: .nan, count: shellCount)
        for i in 0..<shellCount where counts[i] > 0 {
            // `>` rather than `≥`: an all-zero map has a floor of 0 and must stay undefined.
            guard sums.power1[i] / counts[i] > floor1, sums.power2[i] / counts[i] > floor2 else { continue }
            values[i] = sums.cross[i] / (sums.power1[i] * sums.power2[i]).squareRoot()
        }
        return FSCCurve(frequency: (0..<shellCount).map(frequency), fsc: values, count: counts)
    }

    /// Per shell, whether the map holds power above its rounding floor (see `fsc`): where it
    /// does not, every FSC with it is undefined.
    public func hasPower(_ a: HalfSpectrum) -> [Bool] {
        precondition(a.grid.size == grid.size, "spectrum is not on this grid")
        let sums = crossSums(a, a)
        let floor = RoundingFloor.meanPower(totalPower: sums.total1, voxelCount: grid.count)
        return (0..<shellCount).map { counts[$0] > 0 && sums.power1[$0] / counts[$0] > floor }
    }

    func crossSums(_ a: HalfSpectrum, _ b: HalfSpectrum) -> ShellCrossSums {
        let nx = grid.size.x
        let hCount = nx / 2 + 1
        let corner = shellCount   // the slot of the coefficients outside every shell
        let sums = a.coefficients.withUnsafeBufferPointer { fa in
            b.coefficients.withUnsafeBufferPointer { fb in
                shellIndex.withUnsafeBufferPointer { idx in
                    // Three interleaved accumulators per shell: one table lookup, three adds.
                    shellSums(components: 3, slots: shellCount + 1) { _, _, row, s in
                        for h in 0..<hCount {
                            let raw = idx[row + h]
                            let i = raw == FourierShells.outside ? corner : Int(raw)
                            let w = FourierShells.hermitianWeight(h, nx: nx)
                            let p = fa[row + h], q = fb[row + h]
                            s[3 * i] += w * Double(p.re * q.re + p.im * q.im)
                            s[3 * i + 1] += w * Double(p.squaredMagnitude)
                            s[3 * i + 2] += w * Double(q.squaredMagnitude)
                        }
                    }
                }
            }
        }
        let n = shellCount
        let power1 = (0..<n).map { sums[3 * $0 + 1] }, power2 = (0..<n).map { sums[3 * $0 + 2] }
        return ShellCrossSums(cross: (0..<n).map { sums[3 * $0] }, power1: power1, power2: power2,
                              total1: power1.reduce(0, +) + sums[3 * corner + 1],
                              total2: power2.reduce(0, +) + sums[3 * corner + 2])
    }

    /// Per-shell sums Σ Re(A·B*) over the full sphere (Hermitian-weighted, in Double): the
    /// inner products that FSC, projections and power spectra are made of.
    public func crossPower(_ a: HalfSpectrum, _ b: HalfSpectrum) -> [Double] {
        precondition(a.grid.size == grid.size && b.grid.size == grid.size, "spectra are not on this grid")
        return crossSums(a, b).cross
    }

    /// Mean power |F|² per shell (Hermitian-weighted).
    public func meanPower(_ a: HalfSpectrum) -> [Double] {
        let sums = crossSums(a, a)
        return (0..<shellCount).map { counts[$0] > 0 ? sums.power1[$0] / counts[$0] : 0 }
    }

    /// Mean amplitude |F| per shell (Hermitian-weighted), as RELION's Guinier plot uses.
    public func meanAmplitude(_ a: HalfSpectrum) -> [Double] {
        let nx = grid.size.x
        let hCount = nx / 2 + 1
        let sums = a.coefficients.withUnsafeBufferPointer { fa in
            shellIndex.withUnsafeBufferPointer { idx in
                shellSums(components: 1) { _, _, row, acc in
                    for h in 0..<hCount {
                        let i = Int(idx[row + h])
                        if i == Int(FourierShells.outside) { continue }
                        acc[i] += FourierShells.hermitianWeight(h, nx: nx) * Double(fa[row + h].magnitude)
                    }
                }
            }
        }
        return (0..<shellCount).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
    }
}

/// Checks of maps before an FSC is computed from them, so that a map whose FSC would be
/// undefined is refused with its name rather than reported as a curve of NaNs.
public enum FSCInput {
    /// Throws when `volume` is constant (zero variance). A constant map has power only in the
    /// DC term (shell 0) — none at all when it is 0 — so its FSC with any map is undefined in
    /// every other shell. `name` (a file path, or a neutral name such as "half map 1") leads the
    /// error.
    public static func requireVarying(_ volume: Volume, name: String) throws {
        let s = volume.statistics
        if s.min == s.max {
            throw MapbookError("the map is constant (every voxel \(s.min)): its FSC is undefined", path: name)
        }
    }

    /// Throws when `mask` has no positive voxel: the masked maps are then all zero and every
    /// shell of their FSC is undefined.
    public static func requireNonzeroMask(_ mask: Volume, name: String) throws {
        if !(mask.statistics.max > 0) {
            throw MapbookError("the mask is all zero: the masked FSC is undefined", path: name)
        }
    }

    /// Throws, naming the map that lacks it, when `curve` (the FSC of `a` and `b`) is undefined
    /// in shell 1, where `resolution(at:)` needs a value: that map has no power above rounding
    /// level at the lowest resolution.
    public static func requireDefined(_ curve: FSCCurve, _ a: HalfSpectrum, _ b: HalfSpectrum, names: (String, String), shells: FourierShells) throws {
        guard !curve.isDefined(1) else { return }
        let name = shells.shellCount > 1 && !shells.hasPower(a)[1] ? names.0 : names.1
        throw MapbookError("has no power above rounding level at the lowest resolution (shell 1): its FSC is undefined", path: name)
    }
}

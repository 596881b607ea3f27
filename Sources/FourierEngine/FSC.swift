import MapbookCore
import MapModel

/// A Fourier shell correlation curve: one value per shell, with the shell's frequency,
/// resolution and Hermitian-weighted coefficient count.
public struct FSCCurve: Equatable, Sendable, Codable {
    /// Spatial frequency at each shell centre (Å⁻¹).
    public var frequency: [Double]
    /// Correlation per shell; NaN where a shell is empty or has no power.
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

    /// A curve with the same shells and new values.
    public func with(values: [Double]) -> FSCCurve {
        var c = self
        c.fsc = values
        return c
    }
}

/// Per-shell sums of two spectra: Σ Re(F1·F2*), Σ|F1|², Σ|F2|², Hermitian-weighted, in Double.
struct ShellCrossSums {
    var cross: [Double]
    var power1: [Double]
    var power2: [Double]
}

extension FourierShells {
    /// The FSC between two spectra on this grid.
    ///
    /// As RELION: no mean subtraction, FSC = Σ Re(F1 F2*) / sqrt(Σ|F1|² Σ|F2|²) per shell;
    /// unlike RELION, sums are Hermitian-weighted (full-sphere sums). Shell 0 holds only the DC
    /// term and can come out −1; it is reported as computed (callers that follow RELION set it
    /// to 1).
    public func fsc(_ a: HalfSpectrum, _ b: HalfSpectrum) -> FSCCurve {
        precondition(a.grid.size == grid.size && b.grid.size == grid.size, "spectra are not on this grid")
        let sums = crossSums(a, b)
        var values = [Double](repeating: .nan, count: shellCount)
        for i in 0..<shellCount {
            let den = (sums.power1[i] * sums.power2[i]).squareRoot()
            if counts[i] > 0 && den > 0 { values[i] = sums.cross[i] / den }
        }
        return FSCCurve(frequency: (0..<shellCount).map(frequency), fsc: values, count: counts)
    }

    func crossSums(_ a: HalfSpectrum, _ b: HalfSpectrum) -> ShellCrossSums {
        let nx = grid.size.x
        let hCount = nx / 2 + 1
        let sums = a.coefficients.withUnsafeBufferPointer { fa in
            b.coefficients.withUnsafeBufferPointer { fb in
                shellIndex.withUnsafeBufferPointer { idx in
                    // Three interleaved accumulators per shell: one table lookup, three adds.
                    shellSums(components: 3) { _, _, row, s in
                        for h in 0..<hCount {
                            let i = Int(idx[row + h])
                            if i == Int(FourierShells.outside) { continue }
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
        return ShellCrossSums(cross: stride(from: 0, to: sums.count, by: 3).map { sums[$0] },
                              power1: stride(from: 1, to: sums.count, by: 3).map { sums[$0] },
                              power2: stride(from: 2, to: sums.count, by: 3).map { sums[$0] })
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

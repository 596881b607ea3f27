import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The LocalDeblur operator computed exactly as specified: one forward transform, then for every
/// band of the bank one inverse transform of the band-passed spectrum, mixed per voxel with the
/// bank's weights (`DeblurFilterBank.weight(band:rho:)`) evaluated in Double. Cost per application: 1 + N_b
/// transforms, and N_b exponentials per masked voxel.
///
/// This is the reference the faster `InterpolatedDeblurOperator` is measured against.
public final class FilterBankOperator: DeblurOperator {
    /// The grid.
    public let grid: VoxelGrid
    /// The bank of bands.
    public let bank: DeblurFilterBank
    /// Linear indices of the masked voxels, and their local resolutions (Å).
    private let inside: [Int], rho: [Double]
    private let inverseWeightSum: [Double]
    private let frequency: [Double]
    private var spectrum: HalfSpectrum, work: HalfSpectrum
    private var band: Volume
    private var accumulator: [Double]

    /// The operator for `bank` and the local resolutions in `resolution`.
    public init(bank: DeblurFilterBank, resolution: PreparedResolutionMap) {
        grid = resolution.resolution.grid
        self.bank = bank
        var idx: [Int] = [], values: [Double] = []
        resolution.resolution.voxels.withUnsafeBufferPointer { r in
            for i in 0..<r.count where r[i] > 0 { idx.append(i); values.append(Double(r[i])) }
        }
        inside = idx
        rho = values
        inverseWeightSum = values.map { 1 / bank.weightSum(rho: $0) }
        frequency = DigitalFrequency.table(for: grid)
        spectrum = HalfSpectrum(grid: grid)
        work = HalfSpectrum(grid: grid)
        band = Volume(grid: grid)
        accumulator = [Double](repeating: 0, count: idx.count)
    }

    /// One forward transform and one inverse transform per band.
    public var transformsPerApplication: Int { 1 + bank.bands.count }
    /// "filter bank (exact)".
    public var formulationName: String { "filter bank (exact)" }

    /// H[`input`] into `output`: each band's map weighted per masked voxel, summed in Double.
    public func apply(_ input: Volume, into output: inout Volume) {
        precondition(input.grid.size == grid.size && output.grid.size == grid.size, "operator and maps differ in shape")
        FFT.forward(input, into: &spectrum)
        accumulator.withUnsafeMutableBufferPointer { acc in
            for i in 0..<acc.count { acc[i] = 0 }
        }
        let bank = self.bank
        for b in bank.bands.indices {
            let lo = bank.bands[b].centre - bank.bands[b].halfWidth, hi = bank.bands[b].centre + bank.bands[b].halfWidth
            work.coefficients.withUnsafeMutableBufferPointer { w in
                spectrum.coefficients.withUnsafeBufferPointer { f in
                    frequency.withUnsafeBufferPointer { v in
                        Parallelism.forEachRange(w.count, minimumPerChunk: 1 << 14) { _, range in
                            for c in range {
                                let u = v[c]
                                if u < lo || u > hi { w[c] = .zero; continue }
                                let g = Float(bank.gain(band: b, at: u))
                                w[c] = ComplexF(f[c].re * g, f[c].im * g)
                            }
                        }
                    }
                }
            }
            FFT.backward(destroying: &work, into: &band)
            accumulator.withUnsafeMutableBufferPointer { acc in
                band.voxels.withUnsafeBufferPointer { m in
                    inside.withUnsafeBufferPointer { idx in
                        rho.withUnsafeBufferPointer { p in
                            Parallelism.forEachRange(acc.count, minimumPerChunk: 1 << 12) { _, range in
                                for j in range {
                                    acc[j] += bank.weight(band: b, rho: p[j]) * Double(m[idx[j]])
                                }
                            }
                        }
                    }
                }
            }
        }
        output.voxels.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count { o[i] = 0 }
            for j in inside.indices { o[inside[j]] = Float(accumulator[j] * inverseWeightSum[j]) }
        }
    }
}

import CFFTW3f
import Foundation
import MapbookCore
import MapModel

/// Real-to-complex transforms in the memory of the map (or spectrum) being transformed.
///
/// A map of N³ floats and its half spectrum of N·N·(N/2+1) complex values differ by 2/N in
/// size, and every large buffer is allocated with room for the larger (see
/// `LargeBufferPool.capacity(for:)`). So a map the caller gives up (`consume`) can become its
/// own spectrum, and back: one map of memory instead of two, and no fresh pages to fault in.
/// FFTW's in-place layout pads each real row of nx floats to 2·(nx/2+1); the rows are spread
/// out before a forward transform and packed again after a backward one (a memory move of
/// the map, a few per cent of the transform's time).
///
/// Reproducible plans stay out of place, so simulated data keep their bits.
enum FFTInPlace {
    /// The spectrum of `volume`, made in its memory, when `volume` is its allocation's only
    /// owner and the allocation is large enough; nil otherwise (`volume` is then untouched).
    static func forward(_ volume: inout Volume, planning: FFTPlanning) -> HalfSpectrum? {
        let g = volume.grid
        let (nx, rows) = (g.size.x, g.size.y * g.size.z)
        let complexCount = (nx / 2 + 1) * rows
        guard planning == .fastest, g.count > 0,
              volume.voxels.allocatedBytes >= complexCount * MemoryLayout<ComplexF>.stride,
              volume.voxels.ownsAllocationAlone() else { return nil }
        let plan = FFTPlanCache.shared.plan(for: g.size, direction: .forward, planning: planning, inPlace: true)
        let lines = LinePassFFT.instead(of: plan, size: g.size, threads: nil).flatMap { $0.inPlaceReady() ? $0 : nil }
        FFTCounts.add(g.size, .forward)
        var coefficients = volume.voxels.handOver(as: ComplexF.self, count: complexCount) { raw in
            let floats = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            spreadRows(floats, nx: nx, rows: rows)
            if let lines {
                lines.forwardInPlace(raw.baseAddress!)
            } else {
                fftwf_execute_dft_r2c(plan.handle, floats, raw.baseAddress!.assumingMemoryBound(to: fftwf_complex.self))
            }
        }
        coefficients.withUnsafeMutableBufferPointer { FFT.scaleInPlace($0, by: 1 / Float(g.count)) }
        return HalfSpectrum(grid: g, coefficients: coefficients)
    }

    /// The map of `spectrum`, made in its memory, when `spectrum` is its allocation's only
    /// owner and the allocation holds the padded map; nil otherwise (`spectrum` is untouched).
    static func backward(_ spectrum: inout HalfSpectrum, planning: FFTPlanning) -> Volume? {
        let g = spectrum.grid
        let (nx, rows) = (g.size.x, g.size.y * g.size.z)
        guard planning == .fastest, g.count > 0,
              spectrum.coefficients.allocatedBytes >= 2 * (nx / 2 + 1) * rows * MemoryLayout<Float>.stride,
              spectrum.coefficients.ownsAllocationAlone() else { return nil }
        let plan = FFTPlanCache.shared.plan(for: g.size, direction: .backward, planning: planning, inPlace: true)
        let lines = LinePassFFT.instead(of: plan, size: g.size, threads: nil).flatMap { $0.inPlaceReady() ? $0 : nil }
        FFTCounts.add(g.size, .backward)
        let voxels = spectrum.coefficients.handOver(as: Float.self, count: g.count) { raw in
            let floats = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            if let lines {
                lines.backwardInPlace(raw.baseAddress!)
            } else {
                fftwf_execute_dft_c2r(plan.handle, raw.baseAddress!.assumingMemoryBound(to: fftwf_complex.self), floats)
            }
            packRows(floats, nx: nx, rows: rows)
        }
        return Volume(grid: g, voxels: voxels)
    }

    /// Moves row r (nx floats at r·nx) to r·2·(nx/2+1), last row first: each row's new place
    /// lies past the old places of all rows before it, so nothing is overwritten unread.
    static func spreadRows(_ f: UnsafeMutablePointer<Float>, nx: Int, rows: Int) {
        let padded = 2 * (nx / 2 + 1)
        var r = rows - 1
        while r > 0 {
            memmove(f + r * padded, f + r * nx, nx * MemoryLayout<Float>.stride)
            r -= 1
        }
    }

    /// The inverse of `spreadRows`, first row first.
    static func packRows(_ f: UnsafeMutablePointer<Float>, nx: Int, rows: Int) {
        let padded = 2 * (nx / 2 + 1)
        for r in 1..<max(1, rows) {
            memmove(f + r * nx, f + r * padded, nx * MemoryLayout<Float>.stride)
        }
    }
}

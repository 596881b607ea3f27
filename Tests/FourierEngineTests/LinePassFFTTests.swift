import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import FourierEngine

@Suite("Line-pass FFT")
struct LinePassFFTTests {
    // Cubic and non-cubic even boxes, with rows (ny) a multiple of the row block and not.
    static let cases: [(size: SIMD3<Int>, voxel: SIMD3<Double>, limit: Double)] = [
        (SIMD3(64, 64, 64), SIMD3(1, 1, 1), 0.12),
        (SIMD3(64, 64, 64), SIMD3(1, 1, 1), 0.3),
        (SIMD3(80, 70, 36), SIMD3(1.1, 1.3, 0.9), 0.2),
    ]

    /// The band's index limits for a digital-frequency limit, as `band(belowDigitalFrequency:)` takes them.
    static func inside(_ h: Int, _ k: Int, _ l: Int, grid: VoxelGrid, limit: Double) -> Bool {
        let n = grid.size, box = grid.boxLength, a = grid.voxelSize.max()
        func s(_ i: Int, _ n: Int, _ length: Double) -> Double { Double(i > n / 2 ? i - n : i) / length }
        let v = ((s(h, n.x, box.x) * s(h, n.x, box.x) + s(k, n.y, box.y) * s(k, n.y, box.y) + s(l, n.z, box.z) * s(l, n.z, box.z))).squareRoot() * a
        return v < limit
    }

    @Test("the forward transform is exact below the limit (×N) and the inverse of a band-limited spectrum matches the full one",
          arguments: 0..<cases.count)
    func matchesFullTransform(index: Int) throws {
        let c = Self.cases[index]
        let grid = VoxelGrid(size: c.size, voxelSize: c.voxel)
        let fft = try #require(LinePassFFT(size: c.size, acceptingEstimatedPlans: true))
        let band = try #require(fft.band(belowDigitalFrequency: c.limit, grid: grid, voxel: grid.voxelSize.max()))
        let v = noiseVolume(grid, seed: 11)
        let reference = FFT.forward(v)
        var mine = HalfSpectrum(grid: grid)
        fft.forwardUnscaled(v, into: &mine, band: band)
        let n = c.size, hCount = n.x / 2 + 1, count = Float(grid.count)
        var worst: Float = 0, scale: Float = 0, checked = 0
        // The band-limited spectrum: the reference's coefficients below the limit, zero elsewhere.
        var limited = HalfSpectrum(grid: grid)
        for l in 0..<n.z { for k in 0..<n.y { for h in 0..<hCount where Self.inside(h, k, l, grid: grid, limit: c.limit) {
            let j = h + hCount * (k + n.y * l)
            let (a, b) = (mine.coefficients[j], reference.coefficients[j])
            worst = max(worst, ComplexF(a.re / count - b.re, a.im / count - b.im).magnitude)
            scale = max(scale, b.magnitude)
            limited.coefficients[j] = b
            checked += 1
        } } }
        #expect(checked > 100)
        #expect(worst <= 1e-5 * scale)

        var full = limited, pruned = limited
        var expected = Volume(grid: grid), got = Volume(grid: grid)
        FFT.backward(destroying: &full, into: &expected)
        fft.backward(destroying: &pruned, into: &got, band: band)
        let peak = expected.voxels.reduce(Float(0)) { max($0, abs($1)) }
        var difference: Float = 0
        for i in 0..<grid.count { difference = max(difference, abs(got.voxels[i] - expected.voxels[i])) }
        #expect(peak > 0)
        #expect(difference <= 1e-5 * peak)
    }

    @Test("bands hold every coefficient up to their limits in disjoint, aligned blocks; wide bands and odd rows are refused")
    func bandLayout() throws {
        let fft = try #require(LinePassFFT(size: SIMD3(64, 70, 36), acceptingEstimatedPlans: true))
        let band = try #require(fft.layout(hMax: 9, kMax: 12))
        #expect(band.columns == 16)
        // Rows 0...12 and 58..<70 (k = −12…−1) in blocks of 8 that start at even rows.
        var rows = Set<Int>()
        for start in band.rowStarts {
            #expect(start % 2 == 0)
            for r in start..<(start + LinePassFFT.rowBlock) { #expect(rows.insert(r).inserted); #expect(r < 70) }
        }
        for k in 0...12 { #expect(rows.contains(k)); #expect(rows.contains((70 - k) % 70)) }
        #expect(fft.workFraction(of: band) > 0.3 && fft.workFraction(of: band) < 0.7)
        // Most of the spectrum: a full transform is as quick.
        #expect(fft.layout(hMax: 30, kMax: 10) == nil)
        #expect(fft.layout(hMax: 5, kMax: 34) == nil)
        #expect(LinePassFFT.shared(for: SIMD3(63, 64, 64)) == nil)
        #expect(LinePassFFT.shared(for: SIMD3(64, 65, 64)) == nil)
    }

    @Test("a band-limited transform counts as the fraction of a full one it does")
    func counted() throws {
        let size = SIMD3(64, 64, 32)
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1, 1, 1))
        let fft = try #require(LinePassFFT(size: size, acceptingEstimatedPlans: true))
        let band = try #require(fft.band(hMax: 4, kMax: 4))
        let name = FFTCounts.name(size, forward: true)
        let before = FFTCounts.snapshot[name] ?? 0
        var spectrum = HalfSpectrum(grid: grid)
        fft.forwardUnscaled(noiseVolume(grid, seed: 2), into: &spectrum, band: band)
        let added = (FFTCounts.snapshot[name] ?? 0) - before
        #expect(abs(added - fft.workFraction(of: band)) < 1e-12)
    }
    @Test("whole line-pass transforms, out of place and in place, equal the 3-D ones",
          arguments: [SIMD3(64, 64, 64), SIMD3(80, 70, 36), SIMD3(34, 32, 5)])
    func wholeTransforms(size: SIMD3<Int>) throws {
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1, 1, 1))
        let lines = try #require(LinePassFFT(size: size, acceptingEstimatedPlans: true))
        let v = noiseVolume(grid, seed: 21)
        let reference = FFT.forward(v)
        var spectrum = HalfSpectrum(grid: grid)
        #expect(lines.forward(v, into: &spectrum))
        let scale = reference.coefficients.withUnsafeBufferPointer { $0.reduce(Float(0)) { max($0, $1.magnitude) } }
        func worst(_ a: HalfSpectrum) -> Float {
            var w: Float = 0
            for i in 0..<a.coefficients.count {
                let (x, y) = (a.coefficients[i], reference.coefficients[i])
                w = max(w, ComplexF(x.re - y.re, x.im - y.im).magnitude)
            }
            return w
        }
        #expect(worst(spectrum) <= 1e-5 * scale)
        var back = Volume(grid: grid), copy = reference
        #expect(lines.backward(destroying: &copy, into: &back))
        let peak = v.voxels.reduce(Float(0)) { max($0, abs($1)) }
        // forward then backward returns the map (the forward divides by the voxel count).
        #expect(zip(back.voxels, v.voxels).allSatisfy { abs($0 - $1) <= 1e-4 * peak })

        // In place: the map spread to FFTW's padded rows, transformed in its own buffer.
        #expect(lines.inPlaceReady())
        let (nx, rows, h) = (size.x, size.y * size.z, size.x / 2 + 1)
        var buffer = [ComplexF](repeating: .zero, count: h * rows)
        buffer.withUnsafeMutableBytes { raw in
            let floats = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            v.voxels.withUnsafeBufferPointer { for i in 0..<grid.count { floats[i] = $0[i] } }
            FFTInPlace.spreadRows(floats, nx: nx, rows: rows)
            lines.forwardInPlace(raw.baseAddress!)
        }
        let n = Float(grid.count)
        var inPlace = HalfSpectrum(grid: grid)
        for i in 0..<buffer.count { inPlace.coefficients[i] = ComplexF(buffer[i].re / n, buffer[i].im / n) }
        #expect(worst(inPlace) <= 1e-5 * scale)
        buffer.withUnsafeMutableBytes { raw in
            let floats = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            lines.backwardInPlace(raw.baseAddress!)
            FFTInPlace.packRows(floats, nx: nx, rows: rows)
            for i in 0..<grid.count { #expect(abs(floats[i] / n - v.voxels[i]) <= 1e-4 * peak) }
        }
    }
}

import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import FourierEngine

/// The address of an array's first element.
private func address<T>(_ a: AlignedArray<T>) -> UnsafeRawPointer {
    a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
}

@Suite("FFT in place")
struct FFTInPlaceTests {
    // Large enough (≥ 1 MiB) for buffers with room for the spectrum; even and odd row lengths.
    static let sizes = [SIMD3(66, 64, 64), SIMD3(67, 64, 63)]

    @Test("a consumed map becomes its spectrum in its own memory, equal to the out-of-place transform", arguments: sizes)
    func forwardInPlace(size: SIMD3<Int>) {
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1, 1, 1))
        let v = noiseVolume(grid, seed: 5)
        let reference = FFT.forward(v)            // v is still used below: out of place
        var mine = v
        mine.voxels[0] += 0                       // a private copy, owned alone
        let before = address(mine.voxels)
        let spectrum = FFT.forward(consume mine)
        #expect(address(spectrum.coefficients) == before)
        var worst: Float = 0, scale: Float = 0
        for i in 0..<spectrum.coefficients.count {
            let (a, b) = (spectrum.coefficients[i], reference.coefficients[i])
            worst = max(worst, ComplexF(a.re - b.re, a.im - b.im).magnitude)
            scale = max(scale, reference.coefficients[i].magnitude)
        }
        #expect(worst <= 1e-5 * scale)
        // The map given by a caller that keeps it is left as it was.
        #expect(v == noiseVolume(grid, seed: 5))
    }

    @Test("a consumed spectrum becomes its map in its own memory; the round trip returns the map", arguments: sizes)
    func backwardInPlace(size: SIMD3<Int>) {
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(1, 1, 1))
        let v = noiseVolume(grid, seed: 6)
        var spectrum = FFT.forward(v)
        spectrum.coefficients[0] = spectrum.coefficients[0]
        let before = address(spectrum.coefficients)
        let back = FFT.backward(consume spectrum)
        #expect(address(back.voxels) == before)
        var worst: Float = 0
        for i in 0..<grid.count { worst = max(worst, abs(back.voxels[i] - v.voxels[i])) }
        #expect(worst < 1e-4)
    }

    @Test("a spectrum still shared with the caller is not destroyed by the backward transform")
    func sharedSpectrumSurvives() {
        let grid = VoxelGrid(size: SIMD3(66, 64, 64), voxelSize: SIMD3(1, 1, 1))
        let spectrum = FFT.forward(noiseVolume(grid, seed: 7))
        let kept = spectrum
        let back = FFT.backward(spectrum)
        #expect(kept == spectrum)
        #expect(back.grid == grid)
    }

    @Test("spreading rows to FFTW's padded layout and packing them again is the identity")
    func rowLayout() {
        for nx in [5, 8, 9] {
            let rows = 7, padded = 2 * (nx / 2 + 1)
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: padded * rows)
            defer { buffer.deallocate() }
            for i in 0..<(nx * rows) { buffer[i] = Float(i) }
            FFTInPlace.spreadRows(buffer, nx: nx, rows: rows)
            for r in 0..<rows { for x in 0..<nx { #expect(buffer[r * padded + x] == Float(r * nx + x)) } }
            FFTInPlace.packRows(buffer, nx: nx, rows: rows)
            for i in 0..<(nx * rows) { #expect(buffer[i] == Float(i)) }
        }
    }
}

import Foundation
import MapbookCore
import MapModel

/// Centres of local windows on a regular lattice over the whole box, and the trilinear
/// interpolation between them: every voxel takes a weighted mean of the eight centres around
/// it, with weights that sum to one, so values known per window blend smoothly into a map.
public struct WindowLattice: Sendable, Equatable {
    /// Centres per axis.
    public var counts: SIMD3<Int>
    /// The box (voxels per axis).
    public var size: SIMD3<Int>

    /// Centres at most `spacing` voxels apart along each axis, the first and last on the box's
    /// first and last voxel.
    public init(size: SIMD3<Int>, spacing: Double) {
        self.size = size
        counts = SIMD3((0..<3).map { a in max(2, Int((Double(size[a] - 1) / max(1, spacing)).rounded(.up)) + 1) })
    }

    /// Number of centres.
    public var count: Int { counts.x * counts.y * counts.z }

    /// Position of centre index i along `axis` (voxels, fractional).
    public func position(_ i: Int, axis: Int) -> Double { Double(i) * Double(size[axis] - 1) / Double(counts[axis] - 1) }

    /// The centre's position (voxels) from its flat index (x fastest).
    public func centre(_ index: Int) -> SIMD3<Double> {
        let x = index % counts.x, y = (index / counts.x) % counts.y, z = index / (counts.x * counts.y)
        return SIMD3(position(x, axis: 0), position(y, axis: 1), position(z, axis: 2))
    }

    /// Per voxel index along `axis`: the lower lattice index and the weight of the upper one.
    public func axisTable(_ axis: Int) -> [(Int, Float)] {
        let step = Double(size[axis] - 1) / Double(counts[axis] - 1)
        return (0..<size[axis]).map { v in
            let t = Double(v) / step
            let i = min(counts[axis] - 2, Int(t))
            return (i, Float(t - Double(i)))
        }
    }

    /// `accumulate[v] += factor[v] × (trilinear interpolation of `values` (one per centre) at v)`
    /// for every voxel v: one pass, no allocation per voxel.
    public func addInterpolated(_ values: [Float], times factor: Volume, into accumulate: inout Volume) {
        precondition(values.count == count)
        let tx = axisTable(0), ty = axisTable(1), tz = axisTable(2)
        let (nx, ny, nz) = (size.x, size.y, size.z)
        let cx = counts.x, cxy = counts.x * counts.y
        accumulate.voxels.withUnsafeMutableBufferPointer { out in
            factor.voxels.withUnsafeBufferPointer { f in
                values.withUnsafeBufferPointer { val in
                    Parallelism.forEachRange(nz) { _, planes in
                        for z in planes {
                            let (iz, wz) = tz[z]
                            for y in 0..<ny {
                                let (iy, wy) = ty[y]
                                let b00 = iy * cx + iz * cxy, b10 = b00 + cx, b01 = b00 + cxy, b11 = b01 + cx
                                let w00 = (1 - wy) * (1 - wz), w10 = wy * (1 - wz), w01 = (1 - wy) * wz, w11 = wy * wz
                                let row = nx * (y + ny * z)
                                for x in 0..<nx {
                                    let (ix, wx) = tx[x]
                                    let lo = (1 - wx), hi = wx
                                    let v = w00 * (lo * val[b00 + ix] + hi * val[b00 + ix + 1])
                                        + w10 * (lo * val[b10 + ix] + hi * val[b10 + ix + 1])
                                        + w01 * (lo * val[b01 + ix] + hi * val[b01 + ix + 1])
                                        + w11 * (lo * val[b11 + ix] + hi * val[b11 + ix + 1])
                                    out[row + x] += v * f[row + x]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

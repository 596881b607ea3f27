import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Digital frequency |s|·a (cycles per voxel, a the coarsest voxel edge) of every coefficient of
/// a half spectrum, in the storage order of `HalfSpectrum`.
///
/// The filter bank is defined in digital frequency, as xmipp defines it; physical frequencies
/// make non-cubic boxes come out right.
enum DigitalFrequency {
    /// The table for `grid`, in Double.
    static func table(for grid: VoxelGrid) -> [Double] {
        let n = grid.size, hCount = n.x / 2 + 1
        let box = grid.boxLength, a = grid.voxelSize.max()
        func axis(_ count: Int, _ length: Double, half: Bool) -> [Double] {
            (0..<(half ? count / 2 + 1 : count)).map { i in
                let signed = (!half && i > count / 2) ? i - count : i
                let s = Double(signed) / length * a
                return s * s
            }
        }
        let fx = axis(n.x, box.x, half: true), fy = axis(n.y, box.y, half: false), fz = axis(n.z, box.z, half: false)
        var out = [Double](repeating: 0, count: hCount * n.y * n.z)
        out.withUnsafeMutableBufferPointer { o in
            Parallelism.forEachRange(n.z) { _, zr in
                for l in zr { for k in 0..<n.y {
                    let row = hCount * (k + n.y * l)
                    let yz = fy[k] + fz[l]
                    for h in 0..<hCount { o[row + h] = (fx[h] + yz).squareRoot() }
                } }
            }
        }
        return out
    }
}

import MapbookCore
import MapModel
import ModelValidation

/// A map placed on another grid by trilinear interpolation, honouring both grids' ORIGIN,
/// NSTART and voxel size (`TrilinearSampler`), with the voxels it covers.
public struct PlacedMap: Sendable {
    /// The values on the target grid (0 where the map does not reach).
    public var map: Volume
    /// Whether each target voxel lies within the map's voxel centres (x fastest).
    public var covered: [Bool]

    /// `volume` placed on `target`. Only target voxels inside the source's extent are visited;
    /// a target that shares the source's grid reads its voxels (to Float rounding).
    public init(_ volume: Volume, on target: VoxelGrid) {
        var out = Volume(grid: target)
        var flags = [Bool](repeating: false, count: target.count)
        let g = volume.grid
        let first = g.firstVoxelPosition
        let last = first + (SIMD3(Double(g.size.x), Double(g.size.y), Double(g.size.z)) - 1) * g.voxelSize
        let lo = (first - target.firstVoxelPosition) / target.voxelSize
        let hi = (last - target.firstVoxelPosition) / target.voxelSize
        func range(_ a: Int) -> Range<Int> {
            let s = max(0, Int((lo[a] - 1e-6).rounded(.up))), e = min(target.size[a] - 1, Int((hi[a] + 1e-6).rounded(.down)))
            return s <= e ? s..<(e + 1) : 0..<0
        }
        let (rx, ry, rz) = (range(0), range(1), range(2))
        // Clamp a billionth of a voxel inside, where the sampler's own bounds test cannot round out.
        let inner = g.voxelSize * 1e-9
        let (lowest, highest) = (first + inner, last - inner)
        let origin = target.firstVoxelPosition, step = target.voxelSize
        volume.voxels.withUnsafeBufferPointer { input in
            let sampler = TrilinearSampler(grid: g, voxels: input)
            out.voxels.withUnsafeMutableBufferPointer { o in
                flags.withUnsafeMutableBufferPointer { f in
                    Parallelism.forEachRange(rz.count) { _, planes in
                        for zi in planes {
                            let z = rz.lowerBound + zi
                            let pz = origin.z + Double(z) * step.z
                            for y in ry {
                                let py = origin.y + Double(y) * step.y
                                let row = target.size.x * (y + target.size.y * z)
                                for x in rx {
                                    // Clamp into the extent: rounding can put an edge voxel a hair outside.
                                    let px = min(max(origin.x + Double(x) * step.x, lowest.x), highest.x)
                                    if let v = sampler.value(px, min(max(py, lowest.y), highest.y), min(max(pz, lowest.z), highest.z)) {
                                        o[row + x] = Float(v); f[row + x] = true
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        map = out
        covered = flags
    }
}

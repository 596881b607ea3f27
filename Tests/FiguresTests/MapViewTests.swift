import Foundation
import Testing
import MapModel
@testable import Figures

/// The views' image data against analytic truth: projections, sections, outlines, atoms and
/// the browser's reduced stacks.
@Suite("Map views: projections, sections, outlines, stacks")
struct MapViewTests {
    /// A Gaussian blob of width σ (voxels of `voxel` Å) centred at `centre` (voxel indices).
    static func blob(n: Int = 32, voxel: Double = 1.5, sigma: Double = 3, centre: SIMD3<Double> = SIMD3(15, 17, 14)) -> Volume {
        Volume(grid: VoxelGrid(cube: n, voxel: voxel)) { x, y, z in
            let d = (SIMD3(Double(x), Double(y), Double(z)) - centre) * voxel
            return Float(exp(-(d * d).sum() / (2 * sigma * sigma)))
        }
    }

    @Test("the projection along each axis equals the line integral of an analytic Gaussian, σ√(2π)·exp(−ρ²/2σ²)")
    func projectionsAreLineIntegrals() {
        let sigma = 3.0, voxel = 1.5, centre = SIMD3<Double>(15, 17, 14)
        let map = Self.blob(voxel: voxel, sigma: sigma, centre: centre)
        let projections = VolumeSections.projections(map)
        var worst = 0.0
        for a in 0..<3 {
            let (u, v) = VolumeSections.planeAxes[a]
            let p = projections[a]
            for row in 0..<p.height {
                for column in 0..<p.width {
                    let iu = Double(column), iv = Double(31 - row)
                    let rho2 = pow((iu - centre[u]) * voxel, 2) + pow((iv - centre[v]) * voxel, 2)
                    let truth = sigma * (2 * Double.pi).squareRoot() * exp(-rho2 / (2 * sigma * sigma))
                    worst = max(worst, abs(Double(p.values[column + p.width * row]) - truth))
                }
            }
        }
        // Peak 7.5 (density × Å); a sampled Gaussian sums to its integral within ~1e-6 here.
        #expect(worst < 1e-3, "largest difference \(worst)")
    }

    @Test("the largest-variance sections pass through an off-centre blob, and sections show the voxel asked for")
    func largestVariance() {
        let map = Self.blob(centre: SIMD3(9, 22, 12))
        #expect(VolumeSections.largestVariancePosition(map) == SIMD3(9, 22, 12))
        let s = VolumeSections.through(map, at: SIMD3(9, 22, 12))
        // X section: y right, z up: voxel (9, y=22, z=12) is column 22, row 31 − 12.
        #expect(s[0].values[22 + 32 * (31 - 12)] == map[9, 22, 12])
        #expect(s[2].values[9 + 32 * (31 - 22)] == map[9, 22, 12])
    }

    @Test("a disc's outline at 0.5 lies on its edge, and atoms within the distance land on their pixels")
    func outlinesAndAtoms() {
        let r = 8.0
        var discValues = [Float](repeating: 0, count: 1024)
        for i in 0..<1024 {
            let distance: Double = hypot(Double(i % 32) - 16, Double(i / 32) - 16)
            if distance <= r { discValues[i] = 1 }
        }
        let disc = SliceImage(label: "", orientation: "", width: 32, height: 32, values: discValues, physicalWidth: 32, physicalHeight: 32)
        let segments = SliceOutline.segments(of: disc, level: 0.5)
        #expect(segments.count > 40)
        for s in segments {
            // Pixel centres sit at +0.5; the level crosses half-way between a pixel inside and one outside.
            let d = hypot(s.x0 - 16.5, s.y0 - 16.5)
            #expect(abs(d - r) < 1.0, "segment end at radius \(d)")
        }
        let grid = VoxelGrid(cube: 20, voxel: 2)
        let atoms = [SIMD3<Double>(10, 12, 20.9), SIMD3<Double>(10, 12, 23.5)]
        let near = SliceMontageFigure.atomsNear(atoms, axis: 2, index: 10, region: VoxelRegion(wholeOf: grid), grid: grid, distance: 1.5)
        // Z = 10 is z = 20 Å: the first atom is 0.9 Å away, the second 3.5 Å.
        #expect(near == [Point(5.5, 19 - 6 + 0.5)])
    }

    @Test("a stack is averaged down within its voxel limit, keeps the box's physical size, and the report's budget holds")
    func stacks() {
        let map = Self.blob(n: 48)
        let s = SliceStack.of(map, label: "blob", maxVoxels: 20 * 20 * 20)
        #expect(s.size.x * s.size.y * s.size.z <= 8000 && s.bytes.count == s.size.x * s.size.y * s.size.z)
        #expect(abs(Double(s.size.x) * s.voxelSize.x - 48 * 1.5) < 1e-9)
        // The blob's peak is the brightest byte, near the same place.
        let peak = s.bytes.indices.max { s.bytes[$0] < s.bytes[$1] }!
        let p = SIMD3(peak % s.size.x, (peak / s.size.x) % s.size.y, peak / (s.size.x * s.size.y))
        #expect(abs(Double(p.x) * s.voxelSize.x - 15 * 1.5) <= s.voxelSize.x)
        let many = (0..<6).map { i in SliceStack.of(Self.blob(n: 48, centre: SIMD3(Double(10 + i), 20, 20)), label: "\(i)") }
        let kept = SliceStack.withinBudget(many + [many[0]], budget: 200_000)
        #expect(kept.count == 6)
        #expect(kept.reduce(0) { $0 + ($1.bytes.count + 2) / 3 * 4 } <= 200_000)
    }

    @Test("box averaging keeps the mean of a volume whose size the factor divides")
    func boxAverage() {
        let values = (0..<(12 * 12 * 12)).map { Float($0 % 7) }
        let (size, reduced) = VolumeReduction.boxAverage(values, size: SIMD3(12, 12, 12), maxVoxels: 216)
        #expect(size == SIMD3(6, 6, 6))
        let meanBefore: Float = values.reduce(0, +) / 1728
        let meanAfter: Float = reduced.reduce(0, +) / 216
        #expect(abs(meanAfter - meanBefore) < 1e-4)
    }
}

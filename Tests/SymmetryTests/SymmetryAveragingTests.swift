import Foundation
import Testing
import MapbookCore
import MapModel
import TestSupport
@testable import Symmetry

@Suite("Symmetry averaging", .serialized)
struct SymmetryAveragingTests {
    @Test("averaging a map that already has the symmetry returns it (CC > 0.999 away from the edges)")
    func symmetricMapUnchanged() throws {
        for symbol in ["D2", "C3"] {
            let group = try PointGroup(symbol)
            guard let model = SymmetricPhantom.model(group) else { return }
            let map = SymmetricPhantom.map(model)
            let averaged = SymmetryAveraging.average(map, over: group)
            let inside = SymmetricPhantom.sphere(map.grid, radius: 33)
            let cc = SymmetricPhantom.correlation(map, averaged, where: inside)
            print(String(format: "%@ phantom (6 Å, 1.5 Å voxels) averaged over %@: CC with the input %.6f inside r = 33 voxels", symbol, symbol, cc))
            #expect(cc > 0.999, "\(symbol)")
        }
    }

    @Test("a map averaged once is symmetric: averaging it again changes nothing inside")
    func idempotent() throws {
        var rng = SeededGenerator(seed: 3)
        let grid = VoxelGrid(cube: 40, voxel: 2)
        let noise = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        let group = try PointGroup("C4")
        let once = SymmetryAveraging.average(noise, over: group)
        let twice = SymmetryAveraging.average(once, over: group)
        let inside = SymmetricPhantom.sphere(grid, radius: 18)
        var worst: Float = 0
        for i in 0..<grid.count where inside[i] { worst = max(worst, abs(once.voxels[i] - twice.voxels[i])) }
        print("C4 on noise, averaged twice: largest change inside \(worst)")
        #expect(worst < 1e-5)
    }

    @Test("averaging white noise over an order-n group divides its variance by about n")
    func noiseVariance() throws {
        var rng = SeededGenerator(seed: 11)
        let grid = VoxelGrid(cube: 64, voxel: 1.3)
        let noise = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        let inside = SymmetricPhantom.sphere(grid, radius: 30)
        func variance(_ v: Volume) -> Double {
            var s = 0.0, s2 = 0.0, n = 0.0
            for i in 0..<grid.count where inside[i] { let x = Double(v.voxels[i]); s += x; s2 += x * x; n += 1 }
            return s2 / n - (s / n) * (s / n)
        }
        let before = variance(noise)
        for symbol in ["C2", "C4", "D2", "O", "C7", "I"] {
            let group = try PointGroup(symbol)
            let ratio = before / variance(SymmetryAveraging.average(noise, over: group))
            print(String(format: "white noise averaged over %@ (order %d): variance / %.2f", symbol, group.order, ratio))
            if ["C2", "C4", "D2", "O"].contains(symbol) {
                // Operators that send voxels onto voxels read the noise exactly: n independent
                // values, less the few voxels on the axes (which only see themselves).
                #expect(abs(ratio / Double(group.order) - 1) < 0.05, "\(symbol)")
            } else {
                // Interpolated copies are themselves smoothed noise (trilinear weights: variance
                // (2/3)³ on average), so the variance drops by more than n.
                #expect(ratio > Double(group.order), "\(symbol)")
            }
        }
    }

    @Test("the result does not depend on the thread count")
    func threadIndependent() throws {
        var rng = SeededGenerator(seed: 4)
        let grid = VoxelGrid(cube: 36, voxel: 1.1)
        let noise = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        let (one, three) = ThreadCountLock.exclusive {
            let saved = Parallelism.threads
            defer { Parallelism.threads = saved }
            Parallelism.threads = 1
            let one = SymmetryAveraging.average(noise, over: .icosahedral(setting: 1))
            Parallelism.threads = 3
            return (one, SymmetryAveraging.average(noise, over: .icosahedral(setting: 1)))
        }
        #expect(one == three)
    }

    @Test("with a region, only the flagged voxels change; images outside the box are left out")
    func regionAndEdges() throws {
        var rng = SeededGenerator(seed: 5)
        let grid = VoxelGrid(size: SIMD3(30, 24, 20), voxelSize: SIMD3(1.2, 1.2, 1.2), nstart: SIMD3(-3, 2, 0), origin: SIMD3(10, -4, 7))
        let noise = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        var region = [Bool](repeating: false, count: grid.count)
        for i in stride(from: 0, to: grid.count, by: 3) { region[i] = true }
        let group = try PointGroup("D3")
        let all = SymmetryAveraging.average(noise, over: group)
        let some = SymmetryAveraging.average(noise, over: group, region: region)
        for i in 0..<grid.count {
            #expect(some.voxels[i] == (region[i] ? all.voxels[i] : noise.voxels[i]))
        }
        // A corner voxel: every non-identity image of it lies outside this box, so it keeps
        // its value.
        #expect(all[0, 0, 0] == noise[0, 0, 0])
        // A voxel checked by hand: the mean over the copies inside the box.
        let c = SymmetryCentre.box(grid)
        let (x, y, z) = (17, 9, 12)
        let p = SymmetryCentre.position(ofVoxel: SIMD3(Double(x), Double(y), Double(z)), in: grid)
        var sum = 0.0, count = 0.0
        noise.voxels.withUnsafeBufferPointer { v in
            let sampler = TrilinearSampler(v, size: grid.size)
            for r in group.operators {
                let image = SymmetryCentre.voxel(at: r * (p - c) + c, in: grid)
                if let value = sampler.sample(image) { sum += Double(value); count += 1 }
            }
        }
        #expect(count >= 2)
        #expect(abs(Double(all[x, y, z]) - sum / count) < 1e-5)
    }

    @Test("anisotropic voxels: operators act in Å, so a C3 phantom on a stretched grid stays symmetric")
    func anisotropic() throws {
        // A sum of Gaussians at the C3 images of three points, sampled on a grid with unequal
        // voxel sizes: exactly C3-symmetric in Å about the centre, though no operator maps
        // voxels onto voxels.
        let grid = VoxelGrid(size: SIMD3(48, 40, 36), voxelSize: SIMD3(1.0, 1.25, 1.5), origin: SIMD3(-3, 5, 1))
        let group = try PointGroup("C3")
        let c = SymmetryCentre.box(grid)
        let seeds: [SIMD3<Double>] = [SIMD3(8, 5, 3), SIMD3(-4, 9, 7), SIMD3(12, -3, -6)]
        let blobs = group.operators.flatMap { r in seeds.map { r * $0 + c } }
        let map = Volume(grid: grid) { x, y, z in
            let p = SymmetryCentre.position(ofVoxel: SIMD3(Double(x), Double(y), Double(z)), in: grid)
            return Float(blobs.reduce(0.0) { s, b in let d = p - b; return s + exp(-(d * d).sum() / 50) })
        }
        let averaged = SymmetryAveraging.average(map, over: group)
        let cc = SymmetricPhantom.correlation(map, averaged, where: [Bool](repeating: true, count: grid.count))
        print(String(format: "anisotropic C3 blobs: CC(map, averaged) = %.6f", cc))
        #expect(cc > 0.999)
        // The same voxels taken as cubic (rotating voxel indices instead of Å) break it.
        var cubic = map
        cubic.grid.voxelSize = SIMD3(repeating: 1.25)
        let wrong = SymmetryAveraging.average(cubic, over: group)
        let ccCubic = SymmetricPhantom.correlation(cubic, wrong, where: [Bool](repeating: true, count: grid.count))
        print(String(format: "the same voxels averaged as if cubic: CC %.4f", ccCubic))
        #expect(ccCubic < 0.99)
    }

    /// Prints the time; asserts nothing about it. 128³ in release builds; 64³ in debug builds,
    /// where unoptimised SIMD code is some 50× slower and 128³ under I would take about a minute.
    @Test("timing: 128³ (64³ in debug builds) under D2 and I")
    func timing() throws {
        #if DEBUG
        let (build, n) = ("debug", 64)
        #else
        let (build, n) = ("release", 128)
        #endif
        var rng = SeededGenerator(seed: 1)
        let grid = VoxelGrid(cube: n, voxel: 1)
        let map = Volume(grid: grid) { _, _, _ in Float(rng.nextUnit()) }
        for symbol in ["D2", "I"] {
            let group = try PointGroup(symbol)
            let start = Date()
            let out = SymmetryAveraging.average(map, over: group)
            let seconds = Date().timeIntervalSince(start)
            let per = seconds / Double(grid.count * (group.order - 1)) * 1e9 * Double(Parallelism.threads)
            print(String(format: "averaging %d³ over %@ (%@ build, %d threads): %.2f s, %.1f ns per interpolation per thread",
                         n, symbol, build, Parallelism.threads, seconds, per))
            #expect(out.voxels.allSatisfy { $0.isFinite })
        }
    }
}

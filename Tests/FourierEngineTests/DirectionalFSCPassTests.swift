import Foundation
import Testing
import MapbookCore
import MapModel
import Simulation
@testable import FourierEngine

/// The one-pass directional FSC against a direct computation, and its invariants.
@Suite("Directional FSC pass")
struct DirectionalFSCPassTests {
    /// A non-cubic box with non-cubic voxels, so physical frequencies differ from indices.
    let grid = VoxelGrid(size: SIMD3(20, 18, 16), voxelSize: SIMD3(1.2, 1.5, 1.8))

    @Test("Fibonacci directions: unit vectors over z > 0, equal-area bands (mean z = 1/2), evenly spread (nearest neighbours 0.45–1.4 spacings away)")
    func fibonacci() {
        let d = FibonacciDirections.halfSphere(count: 200)
        let unit = d.allSatisfy { u in abs((u * u).sum() - 1) < 1e-12 && u.z > 0 }
        #expect(unit)
        let meanZ = d.map(\.z).reduce(0, +) / 200
        #expect(abs(meanZ - 0.5) < 1e-12)
        let spacing = FibonacciDirections.spacing(count: 200)
        for (i, u) in d.enumerated() {
            let nearest = d.indices.filter { $0 != i }.map { acos(min(1, abs((u * d[$0]).sum()))) }.min()!
            #expect(nearest > 0.45 * spacing && nearest < 1.4 * spacing, "direction \(i): \(nearest) vs \(spacing)")
        }
    }

    @Test("cone lookup: the cones found for random directions are exactly those the direct test |v·u| ≥ |v| cos α finds")
    func lookupIsExact() {
        var rng = SeededGenerator(seed: 4)
        let dirs = FibonacciDirections.halfSphere(count: 150)
        let cones = ConeLookup(directions: dirs, halfAngle: 20 * .pi / 180, resolution: 12)
        for _ in 0..<3000 {
            let v = SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian())
            let direct = dirs.indices.filter { j in abs((v * dirs[j]).sum()) >= (v * v).sum().squareRoot() * cos(20 * .pi / 180) }
            #expect(cones.cones(holding: v) == direct)
        }
    }

    @Test("one pass equals the direct per-cone sums (Hermitian weights, physical frequencies) on a non-cubic grid")
    func equalsDirect() {
        let a = FFT.forward(noiseVolume(grid, seed: 1)), b = FFT.forward(noiseVolume(grid, seed: 2))
        let shells = FourierShells(grid: grid)
        let dirs = FibonacciDirections.halfSphere(count: 40)
        let cones = ConeLookup(directions: dirs, halfAngle: 25 * .pi / 180)
        let result = shells.directionalFSC(a, b, cones: cones)
        let n = grid.size, hCount = n.x / 2 + 1, box = grid.boxLength
        var cross = [[Double]](repeating: [Double](repeating: 0, count: shells.shellCount), count: dirs.count)
        var p1 = cross, p2 = cross, count = cross
        for l in 0..<n.z { for k in 0..<n.y { for h in 0..<hCount {
            let idx = h + hCount * (k + n.y * l)
            guard shells.shellIndex[idx] != FourierShells.outside else { continue }
            let i = Int(shells.shellIndex[idx])
            let v = SIMD3(Double(h) / box.x, Double(k > n.y / 2 ? k - n.y : k) / box.y, Double(l > n.z / 2 ? l - n.z : l) / box.z)
            let w: Double = (h == 0 || h == n.x / 2) ? 1 : 2
            for (j, u) in dirs.enumerated() where abs((v * u).sum()) >= (v * v).sum().squareRoot() * cos(25 * .pi / 180) {
                let p = a.coefficients[idx], q = b.coefficients[idx]
                cross[j][i] += w * Double(p.re * q.re + p.im * q.im)
                p1[j][i] += w * Double(p.squaredMagnitude); p2[j][i] += w * Double(q.squaredMagnitude); count[j][i] += w
            }
        } } }
        for j in dirs.indices {
            for i in 0..<shells.shellCount {
                #expect(result.curves[j].count[i] == count[j][i], "direction \(j) shell \(i)")
                let direct = cross[j][i] / (p1[j][i] * p2[j][i]).squareRoot()
                if count[j][i] > 0 { #expect(abs(result.curves[j].fsc[i] - direct) < 1e-9, "direction \(j) shell \(i)") }
            }
        }
    }

    @Test("cones of 90° hold whole shells: every directional curve equals the global one; FSC(A, A) = 1 in every cone")
    func wholeShells() {
        let a = FFT.forward(noiseVolume(grid, seed: 3)), b = FFT.forward(noiseVolume(grid, seed: 5))
        let shells = FourierShells(grid: grid)
        let dirs = FibonacciDirections.halfSphere(count: 12)
        let whole = shells.directionalFSC(a, b, cones: ConeLookup(directions: dirs, halfAngle: .pi / 2))
        for c in whole.curves {
            for i in 0..<shells.shellCount {
                let difference = abs(c.fsc[i] - whole.global.fsc[i])
                #expect(difference < 1e-9 && c.count[i] == shells.counts[i])
            }
        }
        let same = shells.directionalFSC(a, a, cones: ConeLookup(directions: dirs, halfAngle: 0.3))
        for c in same.curves {
            for i in 0..<shells.shellCount where c.count[i] > 0 {
                let value = c.fsc[i]
                #expect(abs(value - 1) < 1e-9)
            }
        }
    }
}

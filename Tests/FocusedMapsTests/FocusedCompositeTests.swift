import Foundation
import Testing
import MapbookCore
import MapModel
import ModelMaps
@testable import FocusedMaps

@Suite("Composites of focused maps (combine_focused_maps)")
struct FocusedCompositeTests {
    static let maps = (0..<3).map(SimulatedComplex.focusedMap)
    static let inputs = maps.enumerated().map { FocusedMapInput(map: $1, model: SimulatedComplex.model, name: "map\($0 + 1).mrc", modelName: "complex.pdb") }

    static func cc(_ a: Volume, _ b: Volume, _ mask: [Bool]) -> Double {
        Volume.correlation(a, b, mask: Volume(grid: a.grid, voxels: AlignedArray(mask.map { $0 ? Float(1) : 0 })))
    }

    @Test("three maps, each sharp in one domain on its own box and voxel size: the composite is within 0.01 of the best input in every domain and 0.03 above every input overall")
    func simulatedComplex() throws {
        let r = try FocusedComposite.run(Self.inputs)
        let grid = r.composite.grid
        #expect(grid.voxelSize.x == 1.0)
        let truth = try ModelMap.density(of: SimulatedComplex.model, on: grid)
        for k in 0..<3 {
            let mask = ModelMask.binary(SimulatedComplex.domainModel(k), grid: grid, radius: 3)
            let composite = Self.cc(r.composite, truth, mask)
            let inputs = r.placed.map { Self.cc($0, truth, mask) }
            print(String(format: "domain %d: composite CC %.4f; inputs %@", k + 1, composite, inputs.map { String(format: "%.4f", $0) }.joined(separator: ", ")))
            #expect(composite >= inputs.max()! - 0.01, "domain \(k + 1)")
            // The map sharp in the domain wins its chains.
            for c in r.report.chains where SimulatedComplex.domain(k).contains(c.chain) { #expect(c.winner == k, "chain \(c.chain)") }
        }
        let all = ModelMask.binary(SimulatedComplex.model, grid: grid, radius: 3)
        let composite = Self.cc(r.composite, truth, all)
        let inputs = r.placed.map { Self.cc($0, truth, all) }
        print(String(format: "overall: composite CC %.4f; inputs %@", composite, inputs.map { String(format: "%.4f", $0) }.joined(separator: ", ")))
        for (i, c) in inputs.enumerated() { #expect(composite >= c + 0.03, "input \(i + 1)") }
        // The weights sum to 1 wherever a map reaches, and stay within [0, 1].
        for v in stride(from: 0, to: grid.count, by: 97) {
            let s = r.weights.reduce(Float(0)) { $0 + $1.voxels[v] }
            #expect(abs(s - 1) < 1e-4 && r.weights.allSatisfy { $0.voxels[v] >= 0 && $0.voxels[v] <= 1 + 1e-6 })
        }
        #expect(r.report.residueTable.split(separator: "\n").count == 1 + r.report.residues.count)
    }

    @Test("placement honours ORIGIN, NSTART and voxel size: a map placed on its own grid is unchanged, and on a shifted grid reads the shifted voxels")
    func placement() throws {
        let m = Self.maps[1]
        let same = PlacedMap(m, on: m.grid)
        let worst = zip(same.map.voxels, m.voxels).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5 * max(1, m.voxels.map(abs).max()!) && same.covered.allSatisfy { $0 }, "largest difference \(worst)")
        var shifted = m.grid
        shifted.nstart &+= SIMD3(2, 0, 0)
        shifted.size.x -= 2
        let moved = PlacedMap(m, on: shifted)
        for (x, y, z) in [(0, 5, 7), (10, 20, 30), (40, 3, 9)] { #expect(abs(moved.map[x, y, z] - m[x + 2, y, z]) < 1e-5) }
        // The same placement written with ORIGIN instead of NSTART reads the same voxels.
        var viaOrigin = shifted
        viaOrigin.origin += SIMD3(Double(viaOrigin.nstart.x), Double(viaOrigin.nstart.y), Double(viaOrigin.nstart.z)) * viaOrigin.voxelSize
        viaOrigin.nstart = .zero
        #expect(PlacedMap(m, on: viaOrigin).map.voxels.elementsEqual(moved.map.voxels) { abs($0 - $1) < 1e-5 })
    }

    @Test("bad input: a map that misses its model, a chain no map covers, a wrong voxel size, fewer than two maps")
    func badInput() throws {
        var far = Self.inputs
        far[1].map.grid.origin += SIMD3(800, 0, 0)
        #expect { try FocusedComposite.run(far) } throws: { "\($0)".hasPrefix("map2.mrc: does not overlap its model complex.pdb: no atom of the model lies inside the map's box") }
        var extra = SimulatedComplex.model
        for var a in SimulatedComplex.domainModel(0).translated(by: SIMD3(0, 0, 200)).atoms { a.chainID = "Z"; extra.atoms.append(a) }
        let uncovered = Self.inputs.map { FocusedMapInput(map: $0.map, model: extra, name: $0.name, modelName: "extra.pdb") }
        #expect { try FocusedComposite.run(uncovered) } throws: { "\($0)".hasPrefix("chain Z of extra.pdb lies in no map's box: the best, map1.mrc, holds 0 % of its atoms") }
        var stretched = Self.inputs
        let g = stretched[0].map.grid
        stretched[0].map.grid.voxelSize = g.voxelSize / 1.1
        stretched[0].map.grid.origin = g.origin / 1.1
        #expect { try FocusedComposite.run(stretched) } throws: { "\($0)".hasPrefix("map1.mrc: the voxel size 0.909 Å disagrees with the model's scale") }
        #expect(throws: MapbookError.self) { try FocusedComposite.run([Self.inputs[0]]) }
    }
}

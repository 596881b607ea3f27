import Foundation
import Testing
import MapbookCore
import MapModel
import ModelMaps
@testable import ModelValidation

@Suite("Model placement: atoms outside the box, header readings, whole-voxel shifts")
struct ModelPlacementCheckTests {
    /// A random blob of atoms in a 12 Å ball around `centre`.
    static func model(centre: SIMD3<Double>, count: Int = 300, seed: UInt64 = 5) -> AtomicModel {
        var rng = SeededGenerator(seed: seed)
        var atoms: [Atom] = []
        while atoms.count < count {
            let p = SIMD3(Double.random(in: -12...12, using: &rng), Double.random(in: -12...12, using: &rng), Double.random(in: -12...12, using: &rng))
            guard (p * p).sum() <= 144 else { continue }
            atoms.append(Atom(name: "C", element: .carbon, position: centre + p, bFactor: 30, residueName: "ALA",
                              residueNumber: atoms.count / 5, chainID: "A"))
        }
        return AtomicModel(atoms: atoms)
    }

    @Test("a model outside the box is refused in one line; a header read with ORIGIN alone is named when it explains it")
    func outside() throws {
        // The box starts at origin + nstart·voxel = (10 + 20·2) = 50 Å along each axis.
        let grid = VoxelGrid(size: SIMD3(repeating: 32), voxelSize: SIMD3(repeating: 2), nstart: SIMD3(repeating: 20), origin: SIMD3(repeating: 10))
        let inside = Self.model(centre: SIMD3(repeating: 50 + 32))
        #expect(try ModelPlacementCheck.requireMostlyInside(inside, grid: grid) == 1)
        // Placed where a program that ignores NSTART puts the box (first voxel at 10 Å).
        let wrongFrame = Self.model(centre: SIMD3(repeating: 10 + 32))
        #expect { try ModelPlacementCheck.requireMostlyInside(wrongFrame, grid: grid, mapPath: "map.mrc") } throws: { e in
            let text = "\(e)"
            return text.hasPrefix("map.mrc: 100 % of the model's atoms lie outside the map's box") && text.contains("ORIGIN alone (NSTART ignored)")
                && !text.contains("\n")
        }
        // Far away from every reading: only the plain statement.
        let elsewhere = Self.model(centre: SIMD3(repeating: 500))
        #expect { try ModelPlacementCheck.requireMostlyInside(elsewhere, grid: grid) } throws: { "\($0)".contains("different frames") }
        // Partly out: the ball's centre 6 Å inside the box's low x face (at 49 Å), so a cap of
        // about 16 % of its volume lies outside; accepted, with the fraction reported.
        let partly = Self.model(centre: SIMD3(49 + 6, 82, 82), count: 2000)
        let fraction = try ModelPlacementCheck.requireMostlyInside(partly, grid: grid)
        #expect(fraction > 0.78 && fraction < 0.9, "\(fraction)")
    }

    @Test("a model shifted by whole voxels: the cross-correlation peak gives the shift back, with CC near 1 there")
    func wholeVoxelShift() throws {
        let grid = VoxelGrid(cube: 48, voxel: 1.5)
        let model = Self.model(centre: SIMD3(repeating: 36))
        let map = try ModelMap.density(of: model, on: grid)
        let shiftVoxels = SIMD3(3, -2, 1)
        var moved = model
        for i in moved.atoms.indices { moved.atoms[i].position -= SIMD3(Double(shiftVoxels.x), Double(shiftVoxels.y), Double(shiftVoxels.z)) * 1.5 }
        let modelMap = try ModelMap.density(of: moved, on: grid)
        let found = ModelPlacementCheck.bestShift(map: map, modelMap: modelMap)
        #expect(found.shift == shiftVoxels, "\(found)")
        #expect(found.correlationAtBest > 0.999 && found.correlationAtZero < 0.9, "\(found)")
        let same = ModelPlacementCheck.bestShift(map: map, modelMap: map)
        #expect(same.shift == .zero && abs(same.correlationAtZero - 1) < 1e-5, "\(same)")
    }
}

import Foundation
import Testing
import MapbookCore
import MapModel
import ModelMaps
import Simulation
import Symmetry
@testable import MapBoxing

@Suite("The unique part of a symmetric map (map_box's exact unique)")
struct UniqueRegionTests {
    /// A D2 map: two short helices (one asymmetric unit) placed off the axes and expanded about
    /// the box centre of a 72³ grid of 1.2 Å, as a 4 Å model map.
    static let grid = VoxelGrid(cube: 72, voxel: 1.2)
    static let group = try! PointGroup("D2")
    static let assembly: AtomicModel = {
        var p = HelixBundleParameters()
        p.helices = 2
        p.residuesPerHelix = 14
        let unit = try! HelixBundle.make(p)
        let centre = SymmetryCentre.box(grid)
        return unit.translated(by: centre + SIMD3(13, 12, 11)).symmetryExpanded(by: group, about: centre)
    }()
    static let map = BoxFixtures.map(assembly, grid: grid)

    @Test("--unique D2 keeps a quarter of the voxels; reassembled with the operators it gives the symmetric map back inside the molecule (CC > 0.99)")
    func reassembled() throws {
        var p = BoxParameters()
        p.unique = "D2"
        let r = try MapBoxing.run(BoxInputs(map: Self.map), parameters: p)
        let unique = try #require(r.record.unique)
        #expect(unique.group == "D2" && !unique.found)
        #expect(abs(unique.keptFraction - 0.25) < 0.02, "kept \(unique.keptFraction)")
        #expect(r.labels.contains { $0.contains(MapBoxing.uniqueLabel) })
        // Put the box back on the whole grid, then rotate the unique part into every copy.
        let full = try r.record.box.restore(r.map)
        let centre = SIMD3(unique.centre[0], unique.centre[1], unique.centre[2])
        let region = try UniqueRegion(group: Self.group, centre: centre, reference: SIMD3(unique.reference[0], unique.reference[1], unique.reference[2]))
        let rebuilt = region.reassemble(full)
        let molecule = ModelMask.binary(Self.assembly, grid: Self.grid, radius: 2.5)
        let cc = Volume.correlation(rebuilt, Self.map, mask: Volume(grid: Self.grid, voxels: AlignedArray(molecule.map { $0 ? Float(1) : 0 })))
        print("unique D2 reassembled: CC inside the molecule \(cc), kept fraction \(unique.keptFraction)")
        #expect(cc > 0.99)
        // Each orbit has one member in each cone, so the copies' parts neither overlap nor leave
        // gaps; only points on a cone face (an exact tie, broken by rounding) may miss: < 1 %.
        var split = 0, samples = 0
        for z in stride(from: 0, to: 72, by: 5) { for y in stride(from: 0, to: 72, by: 5) { for x in stride(from: 0, to: 72, by: 5) {
            let q = Self.grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * 1.2
            let images = Self.group.operators.map { region.copy(of: $0 * (q - centre) + centre) }
            samples += 1
            if Set(images).count != 4 { split += 1; if split < 4 { print("orbit of \(q) meets copies \(images)") } }
        } } }
        #expect(Double(split) < 0.01 * Double(samples), "\(split) of \(samples) orbits do not meet each cone once")
    }

    @Test("--unique auto finds D2 as mapbook symmetry does; a reference on an axis is refused")
    func auto() throws {
        var p = BoxParameters()
        p.unique = "auto"
        let r = try MapBoxing.run(BoxInputs(map: Self.map), parameters: p)
        #expect(r.record.unique?.group == "D2" && r.record.unique?.found == true)
        let c = SymmetryCentre.box(Self.grid)
        #expect(throws: MapbookError.self) { try UniqueRegion(group: Self.group, centre: c, reference: c + SIMD3(0, 0, 10)) }
    }
}

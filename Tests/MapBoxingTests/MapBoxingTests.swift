import Foundation
import Testing
import MapbookCore
import MapModel
import ModelMaps
@testable import MapBoxing

@Suite("Boxing maps: round trip, frames, shifts, soft masks, bad input")
struct MapBoxingTests {
    /// A 64³ grid of 1.1 Å with both NSTART and ORIGIN set, the bundle off-centre in it.
    static let grid = VoxelGrid(size: SIMD3(64, 60, 56), voxelSize: SIMD3(repeating: 1.1), nstart: SIMD3(-20, 7, 3), origin: SIMD3(4.5, -3, 10))
    static let model = BoxFixtures.bundle(centre: grid.firstVoxelPosition + SIMD3(38, 33, 31))
    static let map = BoxFixtures.map(model, grid: grid)

    @Test("a box cut and put back restores the original's voxels bit for bit, in either frame")
    func roundTrip() throws {
        for frame in ["original", "origin"] {
            var p = BoxParameters()
            p.frame = frame
            p.padding = 4
            let r = try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p)
            let back = try r.record.box.restore(r.map, surroundings: Self.map)
            #expect(back.voxels == Self.map.voxels, "frame \(frame)")
            #expect(back.grid == Self.map.grid)
            // Without surroundings, zero outside and the box's voxels inside.
            let alone = try r.record.box.restore(r.map)
            let b = r.record.box.region
            var inside = 0
            for z in 0..<Self.grid.size.z { for y in 0..<Self.grid.size.y { for x in 0..<Self.grid.size.x {
                let p = SIMD3(x, y, z)
                let isIn = all(p .>= b.start) && all(p .< b.end)
                #expect(alone[x, y, z] == (isIn ? Self.map[x, y, z] : 0))
                if isIn { inside += 1 }
            } } }
            #expect(inside == b.count && b.count < Self.grid.count)
        }
    }

    @Test("the original frame overlays the input, the origin frame sits at 0 and shifts the model by minus the box's first voxel; the CC is unchanged")
    func frames() throws {
        let before = BoxFixtures.maskCorrelation(Self.map, Self.model)
        for frame in BoxFrame.allCases {
            var p = BoxParameters()
            p.frame = frame.rawValue
            let r = try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p)
            let box = r.record.box
            let first = Self.grid.firstVoxelPosition + SIMD3(Double(box.region.start.x), Double(box.region.start.y), Double(box.region.start.z)) * 1.1
            switch frame {
            case .original:
                #expect(r.map.grid.origin == Self.grid.origin && r.map.grid.nstart == Self.grid.nstart &+ box.region.start)
                #expect(length(r.map.grid.firstVoxelPosition - first) < 1e-9 && r.record.modelShift == [0, 0, 0])
            case .origin:
                #expect(r.map.grid.origin == .zero && r.map.grid.nstart == .zero)
                #expect(length(SIMD3(r.record.modelShift[0], r.record.modelShift[1], r.record.modelShift[2]) + first) < 1e-9)
            }
            // Voxel i of the box is voxel start + i of the original, at the same place relative to the model.
            let shifted = try #require(r.model)
            let a0 = Self.model.atoms[0].position - Self.grid.firstVoxelPosition, a1 = shifted.atoms[0].position - r.map.grid.firstVoxelPosition
            #expect(length(a0 - (a1 + SIMD3(Double(box.region.start.x), Double(box.region.start.y), Double(box.region.start.z)) * 1.1)) < 1e-9)
            let after = BoxFixtures.maskCorrelation(r.map, shifted)
            #expect(abs(after - before) < 1e-4, "\(frame): CC \(after) against \(before)")
            #expect(r.record.originalFrame == BoxRecord.Frame(Self.grid) && r.record.boxedFrame == BoxRecord.Frame(r.map.grid))
        }
    }

    @Test("selections, masks, thresholds and bounds each choose the region; FFT-friendly edges stay inside the map")
    func regions() throws {
        var p = BoxParameters()
        p.padding = 2
        p.selection = "A"
        let chainA = try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p)
        p.selection = nil
        let whole = try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p)
        #expect(chainA.record.box.region.count < whole.record.box.region.count)
        #expect(chainA.record.regionFrom == "model selection A")
        // Every atom of chain A lies inside its box with the padding.
        let g = chainA.map.grid
        for a in Self.model.atoms where a.chainID == "A" {
            let u = (a.position - g.firstVoxelPosition) / g.voxelSize
            #expect(all(u .>= SIMD3(repeating: 2 / 1.1 - 1)) && all(u .<= SIMD3(Double(g.size.x), Double(g.size.y), Double(g.size.z)) - 2 / 1.1))
        }
        p.bounds = [3, 4, 5, 20, 30, 40]
        let bounded = try MapBoxing.run(BoxInputs(map: Self.map), parameters: p)
        #expect(bounded.record.box.region == SubBox(start: SIMD3(3, 4, 5), size: SIMD3(18, 27, 36)))
        p.bounds = nil
        let peak = Double(Self.map.statistics.max)
        p.threshold = 0.5 * peak
        let dense = try MapBoxing.run(BoxInputs(map: Self.map), parameters: p)
        #expect(dense.record.regionFrom.hasPrefix("density above") && dense.record.box.region.count < whole.record.box.region.count)
        p.threshold = nil
        p.fftFriendly = true
        let friendly = try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p)
        for a in 0..<3 {
            let s = friendly.record.box.region.size[a]
            #expect(SubBox.fftFriendlyLength(atLeast: s) == s || s == Self.grid.size[a])
            #expect(friendly.record.box.region.start[a] >= 0 && friendly.record.box.region.end[a] <= Self.grid.size[a])
            #expect(s >= whole.record.box.region.size[a])
        }
        // A mask chooses the box too, and is boxed like the map.
        let mask = Volume(grid: Self.grid) { x, y, z in (10..<20).contains(x) && (12..<22).contains(y) && (14..<30).contains(z) ? 1 : 0 }
        p.fftFriendly = false
        p.padding = 0
        let masked = try MapBoxing.run(BoxInputs(map: Self.map, mask: mask), parameters: p)
        #expect(masked.record.box.region == SubBox(start: SIMD3(10, 12, 14), size: SIMD3(10, 10, 16)))
        #expect(masked.mask?.voxels.allSatisfy { $0 == 1 } == true)
    }

    @Test("half maps are boxed and soft-masked exactly like the map")
    func halfMapsAndSoftMask() throws {
        let h1 = Volume(grid: Self.grid, voxels: AlignedArray(Self.map.voxels.enumerated().map { $1 + Float($0 % 7) * 0.01 }))
        let h2 = Volume(grid: Self.grid, voxels: AlignedArray(Self.map.voxels.enumerated().map { $1 - Float($0 % 5) * 0.01 }))
        var p = BoxParameters()
        p.softMask = true
        let r = try MapBoxing.run(BoxInputs(map: Self.map, halfMaps: (h1, h2), model: Self.model), parameters: p)
        let (b1, b2) = try #require(r.halfMaps)
        let box = r.record.box
        let plain1 = try box.cut(h1), plainMap = try box.cut(Self.map)
        // The same mask multiplies each: its value is the ratio wherever the map is not ~0.
        var checked = 0
        for i in 0..<r.map.voxels.count where abs(plainMap.voxels[i]) > 1e-3 && abs(plain1.voxels[i]) > 1e-3 {
            let m = r.map.voxels[i] / plainMap.voxels[i], m1 = b1.voxels[i] / plain1.voxels[i]
            #expect(abs(m - m1) < 1e-4)
            #expect(m >= -1e-6 && m <= 1 + 1e-6)
            checked += 1
        }
        #expect(checked > 1000)
        #expect(b2.grid == r.map.grid && r.record.softMaskWidth == 3)
        // Faces far from the atoms are zero.
        #expect(r.map[0, 0, 0] == 0)
    }

    @Test("bad input: a model outside the map, a wrong voxel size, mismatched half maps, a selection that matches nothing")
    func badInput() throws {
        let far = Self.model.translated(by: SIMD3(500, 0, 0))
        #expect { try MapBoxing.run(BoxInputs(map: Self.map, model: far, mapName: "map.mrc"), parameters: BoxParameters()) } throws: {
            "\($0)".hasPrefix("map.mrc: 100 % of the model's atoms lie outside the map's box") && !"\($0)".contains("\n")
        }
        // The header says 1.1 Å but the map was made at 1.1 × 1.1 Å: stretched about the frame's zero.
        var stretched = Self.map
        stretched.grid.voxelSize = SIMD3(repeating: 1.1 / 1.1)
        stretched.grid.origin = Self.grid.origin / 1.1
        #expect { try MapBoxing.run(BoxInputs(map: stretched, model: Self.model, mapName: "map.mrc"), parameters: BoxParameters()) } throws: {
            "\($0)".contains("map.mrc: the voxel size 1.000 Å disagrees with the model's scale") && "\($0)".contains("1.100 Å per voxel")
        }
        var other = Self.map
        other.grid.nstart.x += 2
        #expect { try MapBoxing.run(BoxInputs(map: Self.map, halfMaps: (Self.map, other), halfMapNames: ("h1.mrc", "h2.mrc")), parameters: BoxParameters()) } throws: {
            "\($0)".hasPrefix("h2.mrc: does not match h1.mrc: origin")
        }
        var p = BoxParameters()
        p.selection = "Q"
        #expect { try MapBoxing.run(BoxInputs(map: Self.map, model: Self.model), parameters: p) } throws: {
            "\($0)".contains("matches no atom of the model (its chains: A, B, C, D)")
        }
    }

    @Test("selections parse chains, ranges and single residues, and refuse what they cannot read")
    func selections() throws {
        let s = try AtomSelection("A, B:10-20,C:-5--1,D:7")
        #expect(s.items.map(\.chainID) == ["A", "B", "C", "D"])
        #expect(s.items.map(\.residues) == [nil, 10...20, -5...(-1), 7...7])
        #expect(s.description == "A,B:10-20,C:-5--1,D:7")
        #expect(throws: MapbookError.self) { try AtomSelection("A:20-10") }
        #expect(throws: MapbookError.self) { try AtomSelection("A,,B") }
        #expect(throws: MapbookError.self) { try AtomSelection(":5") }
    }
}

func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

import Foundation
import Testing
import MapbookCore
import MapModel
import TestSupport
@testable import MapBoxing

@Suite("Boxing every map with an unusual header (shared data io/)")
struct UnusualHeaderBoxTests {
    /// The io/ maps, with the model that fits each (nil: pseudo-atoms at its densest voxels).
    static let files: [(map: String, model: String?)] = [
        ("EMD-3001.map", nil), ("EMD-3197.map", nil), ("float16.mrc", nil), ("1pfe_asu.msk.gz", nil),
        ("5i55_tiny.ccp4", nil), ("iota_yzx.ccp4.gz", nil),
        ("emd_21457_seg.mrc", "6vyb_Ndom.pdb"), ("emd_21457_seg_nstart.mrc", "6vyb_Ndom.pdb"),
        ("emd_21457_seg_orig0.mrc", "6vyb_Ndom_shifted.pdb"),
    ]

    @Test("origins and shifts agree, the round trip is exact, and the boxed map with the shifted model gives the original pair's CC")
    func everyFile() throws {
        guard SharedData.path("io/SOURCE.md") != nil else { return }
        for (name, modelName) in Self.files {
            guard let path = SharedData.path("io/\(name)") else { continue }
            let map = try MRCFile.read(path: path).volume
            let model = try modelName.map { try AtomicModelFile.read(path: SharedData.path("io/\($0)")!) }
                ?? BoxFixtures.pseudoModel(map, count: min(40, map.grid.count / 4))
            for frame in BoxFrame.allCases {
                var p = BoxParameters()
                p.frame = frame.rawValue
                p.padding = max(2 * map.grid.voxelSize.max(), 4.5)
                // The pseudo-models of these crystallographic pieces are not molecules: no scale check.
                let r = try MapBoxing.run(BoxInputs(map: map, model: model), parameters: p, checkScale: modelName != nil)
                let box = r.record.box
                let back = try box.restore(r.map, surroundings: map)
                #expect(back.voxels == map.voxels, "\(name) \(frame): round trip")
                // The box's first voxel: the original's voxel `start`, moved by the model shift.
                let start = box.region.start
                let inOriginal = map.grid.firstVoxelPosition + SIMD3(Double(start.x), Double(start.y), Double(start.z)) * map.grid.voxelSize
                let shift = SIMD3(r.record.modelShift[0], r.record.modelShift[1], r.record.modelShift[2])
                #expect(length(r.map.grid.firstVoxelPosition - (inOriginal + shift)) < 1e-6, "\(name) \(frame): frames")
                let shifted = try #require(r.model)
                #expect(length(shifted.atoms[0].position - (model.atoms[0].position + shift)) < 1e-9)
                guard map.grid.size.min() >= 4 else { continue }   // a 2-D image or a sliver has no mask to correlate over
                let before = BoxFixtures.maskCorrelation(map, model), after = BoxFixtures.maskCorrelation(r.map, shifted)
                print("\(name) \(frame.rawValue): box \(box.region.size) from \(start), CC \(before) → \(after)")
                #expect(before.isNaN == after.isNaN && (before.isNaN || abs(before - after) < 1e-3), "\(name) \(frame): CC \(before) → \(after)")
            }
        }
    }
}

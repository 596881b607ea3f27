import MapModel
import MapbookCore
import TestSupport
import Testing

/// The RELION beta-galactosidase half maps of relion_tutorial_betagal/SOURCE.md.
@Suite("MRC reading: RELION beta-gal half maps")
struct RelionHalfMapTests {
    @Test("both halves load: 100³, 3.54 Å, RELION's tiny origins, statistics as stated")
    func halves() throws {
        guard let p1 = SharedData.path("relion_tutorial_betagal/run_half1_class001_unfil.mrc"),
              let p2 = SharedData.path("relion_tutorial_betagal/run_half2_class001_unfil.mrc") else { return }
        let h1 = try MRCFile.read(path: p1).volume
        let h2 = try MRCFile.read(path: p2).volume
        for (v, origin, min, max, mean, std) in [(h1, 0.0669, -0.086526, 0.24762, 0.00013718, 0.018898),
                                                 (h2, 0.0664, -0.056662, 0.24508, 0.00015807, 0.018757)] {
            #expect(v.grid.size == SIMD3(100, 100, 100))
            #expect(close(v.grid.voxelSize, SIMD3(repeating: 3.54), rel: 1e-6))
            #expect(v.grid.nstart == .zero)
            #expect(close(v.grid.origin, SIMD3(repeating: origin), rel: 0, abs: 1e-4), "\(v.grid.origin)")
            let s = v.statistics
            #expect(close(Double(s.min), min) && close(Double(s.max), max))
            #expect(close(s.mean, mean) && close(s.rms, std))
        }
        // The origins differ by 0.0005 Å, far below a voxel: the halves pair up.
        #expect(h1.grid.mismatch(with: h2.grid) == nil)
    }
}

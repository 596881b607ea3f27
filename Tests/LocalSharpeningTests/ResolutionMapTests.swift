import Foundation
import Testing
import MapbookCore
import MapModel
@testable import LocalSharpening

/// Preparation of imported local-resolution maps (§2.7 and Scipion's checkBackgroundStep).
@Suite("Local-resolution map preparation")
struct ResolutionMapTests {
    static let grid = VoxelGrid(cube: 32, voxel: 1.5)
    static let zeroBackground = Maps.sphere(grid, radius: 10) { x, _, _ in 3 + 4 * Double(x) / 31 }

    @Test("a map without zero background (ResMap/RELION style): the largest values become background, with a warning")
    func background() throws {
        // ResMap writes a large constant outside the molecule.
        var imported = Self.zeroBackground
        for i in 0..<imported.voxels.count where imported.voxels[i] == 0 { imported.voxels[i] = 100 }
        var warnings: [String] = []
        let prepared = try ResolutionMapPreparation.prepare(imported, for: Self.grid, warnings: &warnings)
        let reference = try Maps.prepared(Self.zeroBackground)
        print("background: \(prepared.record.backgroundVoxels) voxels above \(prepared.record.backgroundLevel ?? 0) Å removed; warning: \(warnings.first ?? "none")")
        #expect(prepared.resolution == reference.resolution && prepared.mask == reference.mask)
        #expect(warnings.contains { $0.contains("no zero background") })
        #expect(reference.record.backgroundLevel == nil)
        // Values between 0 and Nyquist are raised to Nyquist, and counted.
        var fine = Self.zeroBackground
        fine[16, 16, 16] = 1
        var w2: [String] = []
        let raised = try ResolutionMapPreparation.prepare(fine, for: Self.grid, warnings: &w2)
        #expect(raised.resolution[16, 16, 16] == 3 && raised.record.raisedToNyquist == 1)
    }

    @Test("a supplied mask cuts a whole-box map to the molecule before any background guess")
    func suppliedMask() throws {
        var everywhere = Self.zeroBackground
        for i in 0..<everywhere.voxels.count where everywhere.voxels[i] == 0 { everywhere.voxels[i] = 9 }
        let mask = Maps.sphere(Self.grid, radius: 10) { _, _, _ in 1 }
        var warnings: [String] = []
        let prepared = try ResolutionMapPreparation.prepare(everywhere, for: Self.grid, restrictTo: mask, warnings: &warnings)
        #expect(prepared.record.backgroundLevel == nil && warnings.isEmpty)
        #expect(prepared.mask == (try Maps.prepared(Self.zeroBackground)).mask)
    }

    @Test("wrong grid, a frequency map instead of Å, an empty map: one clear error each")
    func errors() {
        var w: [String] = []
        #expect { try ResolutionMapPreparation.prepare(Self.zeroBackground, for: VoxelGrid(cube: 32, voxel: 1.2), warnings: &w) } throws: { "\($0)".contains("grid") }
        var shifted = Self.grid
        shifted.origin = SIMD3(3, 0, 0)
        #expect { try ResolutionMapPreparation.prepare(Self.zeroBackground, for: shifted, warnings: &w) } throws: { "\($0)".contains("origin") }
        let digital = Maps.sphere(Self.grid, radius: 10) { _, _, _ in 0.25 }
        #expect { try ResolutionMapPreparation.prepare(digital, for: Self.grid, warnings: &w) } throws: { "\($0)".contains("finer than Nyquist") }
        #expect { try ResolutionMapPreparation.prepare(Volume(grid: Self.grid), for: Self.grid, warnings: &w) } throws: { "\($0)".contains("empty") }
        for e in [MapbookError("x")] { #expect(!e.description.contains("\n")) }
    }

    @Test("K outside 0.01–0.05 and a map worse than 6 Å without K = 0.01 give notes (parameter hints); imported maps carry a warning")
    func advice() throws {
        let map = Maps.noise(Self.grid, seed: 3)
        var p = LocalSharpeningParameters()
        p.deblur.k = 0.2
        let out = try LocalSharpening.run(map: map, resolution: Self.zeroBackground, origin: .imported, globalResolution: 7.5, parameters: p)
        let w = out.summary.warnings, notes = out.summary.notes
        #expect(notes.contains { $0.contains("outside the recommended range") })
        #expect(notes.contains { $0.contains("K = 0.01 is recommended") })
        #expect(!w.contains { $0.contains("K =") }, "parameter hints are notes, not warnings")
        #expect(w.contains { $0.contains("imported") })
        let computed = try LocalSharpening.run(map: map, resolution: Self.zeroBackground, origin: .computed, globalResolution: 3)
        #expect(!computed.summary.warnings.contains { $0.contains("imported") || $0.contains("K =") })
        #expect(computed.summary.notes.isEmpty)
    }
}

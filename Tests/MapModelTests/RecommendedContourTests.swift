import Foundation
import MapModel
import MapbookCore
import Testing

@Suite("Recommended contour level")
struct RecommendedContourTests {
    /// A Gaussian blob exp(−r²/2σ²) of σ = 6 Å in a 64³ box of 1.5 Å voxels, centred off the
    /// grid's symmetry so that no two voxels share a value; below 1e-6 (the box corners) it is
    /// exactly 0, as in a masked map, unless noise is added.
    static let sigma = 6.0
    static func blob(noise: Double = 0, seed: UInt64 = 1) -> Volume {
        var rng = SeededGenerator(seed: seed)
        let g = VoxelGrid(cube: 64, voxel: 1.5)
        let centre = SIMD3(31.37, 30.81, 32.13)
        return Volume(grid: g) { x, y, z in
            let d = (SIMD3(Double(x), Double(y), Double(z)) - centre) * 1.5
            let density = exp(-(d * d).sum() / (2 * sigma * sigma))
            return Float((density < 1e-6 ? 0 : density) + noise * rng.nextGaussian())
        }
    }

    @Test("the level enclosing a volume is the analytic one: a sphere of that volume is where the blob falls to it")
    func analyticBlob() {
        let map = Self.blob()
        for volume in [5_000.0, 20_000.0, 60_000.0] {
            let c = RecommendedContour.enclosing(volume: volume, in: map, source: .molecularMass)
            let radius = pow(3 * volume / (4 * Double.pi), 1.0 / 3)
            let expected = exp(-radius * radius / (2 * Self.sigma * Self.sigma))
            // Counting voxels approximates the sphere's volume to about its surface's voxels.
            #expect(abs(Double(c.level) - expected) < 0.03 * expected, "volume \(volume): level \(c.level), analytic \(expected)")
            // The voxels at or above the level fill the volume asked for, to a few voxels (Float ties).
            #expect(abs(c.enclosedVolume - volume) <= 4 * 1.5 * 1.5 * 1.5, "encloses \(c.enclosedVolume) Å³")
        }
    }

    @Test("a sequence sets the volume at 1.23 Å³/Da; a mass likewise")
    func sequenceAndMass() throws {
        let map = Self.blob()
        let sequence = try SequenceComposition.parse(">A\n" + String(repeating: "ACDEFGHIKLMNPQRSTVWY", count: 10) + "\n")
        let c = RecommendedContour.of(map, sequence: sequence)
        #expect(c.source == .sequence)
        #expect(abs(c.targetVolume! - sequence.molecularMass * 1.23) < 1e-6)
        #expect(abs(c.enclosedVolume - sequence.molecularMass * 1.23) <= 4 * 1.5 * 1.5 * 1.5)
        let m = RecommendedContour.of(map, molecularMass: 20_000)
        #expect(m.source == .molecularMass && abs(m.enclosedVolume - 24_600) <= 4 * 1.5 * 1.5 * 1.5)
    }

    @Test("without a sequence: three standard deviations above the noise in the box corners")
    func solventNoise() {
        let noise = 0.02
        let c = RecommendedContour.of(Self.blob(noise: noise))
        #expect(c.source == .solventNoise)
        // The corners hold noise only (the blob is below 1e-9 there): level ≈ 3 σ_noise.
        #expect(abs(Double(c.level) - 3 * noise) < 0.05 * 3 * noise, "level \(c.level)")
    }

    @Test("constant corners (a masked map): the level that encloses 1 % of the box, ChimeraX's own")
    func maskedMap() {
        let c = RecommendedContour.of(Self.blob())
        #expect(c.source == .gridFraction)
        let box = 64.0 * 64 * 64 * 1.5 * 1.5 * 1.5
        #expect(abs(c.enclosedVolume - 0.01 * box) <= 4 * 1.5 * 1.5 * 1.5)
    }
}

@Suite("Masking evidence")
struct MaskingEvidenceTests {
    @Test("noise is unmasked; the same noise times a sphere, or with flat faces, looks masked")
    func masked() {
        var rng = SeededGenerator(seed: 5)
        let g = VoxelGrid(cube: 40, voxel: 2)
        let noise = Volume(grid: g) { _, _, _ in Float(rng.nextGaussian()) }
        #expect(!MaskingEvidence(noise).looksMasked)
        var hard = noise
        var soft = noise
        for z in 0..<40 { for y in 0..<40 { for x in 0..<40 {
            let r = (SIMD3(Double(x), Double(y), Double(z)) - 19.5)
            let d = (r * r).sum().squareRoot()
            if d > 15 { hard.voxels[g.index(x, y, z)] = 0 }
            // A soft edge that never reaches exactly 0: the faces are flat but not zero.
            soft.voxels[g.index(x, y, z)] *= Float(d > 15 ? 0.001 : 1)
        } } }
        let h = MaskingEvidence(hard), s = MaskingEvidence(soft)
        #expect(h.looksMasked && h.zeroFraction > 0.3)
        #expect(s.looksMasked && s.zeroFraction == 0 && s.edgeRMSRatio < 0.05)
    }
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Parameters of a synthetic half-map pair with a known spectral signal-to-noise ratio.
public struct SyntheticPairParameters: DeclaredParameters, Equatable {
    /// Box edge in voxels (cubic box).
    @Parameter("size", .closed(8, 2048), unit: "voxels", "box edge (cubic box)")
    public var size: Int = 64
    /// Voxel size (Å).
    @Parameter("voxel", .positive, unit: "Å", "voxel size")
    public var voxelSize: Double = 1.5
    /// Resolution (Å) at which the half-map FSC is 0.143 by construction.
    @Parameter("resolution", .positive, unit: "Å", "resolution where the half-map FSC crosses 0.143",
               source: "Rosenthal & Henderson 2003 (0.143 threshold)")
    public var resolution: Double = 6
    /// B-factor (Å², positive blurs) of the signal's amplitude fall-off; with white noise it
    /// sets how steeply the FSC falls, as in real reconstructions.
    @Parameter("signal_bfactor", unit: "Å²", "B-factor of the signal's amplitude fall-off (positive blurs); sets how steeply the FSC falls")
    public var signalBFactor: Double = 250
    /// Number of point scatterers in the phantom; nil: `defaultAtoms(size:)`, which scales
    /// with the box.
    @Parameter("atoms", .atLeast(1), "number of point scatterers in the phantom",
               defaultMeaning: "scales with the box: max(500, 0.015·size³)", inStarterPlan: false)
    public var atoms: Int? = nil
    /// Radius of the region that holds the phantom, as a fraction of the half box.
    @Parameter("radius_fraction", .closed(0, 1), "radius of the region holding the phantom, as a fraction of the half box")
    public var radiusFraction: Double = 0.6
    /// Seed of every random draw.
    @Parameter("seed", "seed of every random draw")
    public var seed: UInt64 = 1

    /// The defaults above.
    public init() {}

    /// The number of scatterers when none is given: 1.5% of the box's voxels, at least 500.
    public static func defaultAtoms(size: Int) -> Int { max(500, Int(Double(size * size * size) * 0.015)) }

    /// The number of point scatterers used.
    public var atomCount: Int { atoms ?? Self.defaultAtoms(size: size) }

    /// The resolution within the Nyquist limit of the voxel size.
    public func validateTogether() throws {
        guard resolution >= 2 * voxelSize else {
            throw ParameterProblem(key: "resolution", value: resolution.parameterText,
                                   String(format: "is finer than Nyquist (%.2f Å)", 2 * voxelSize))
        }
    }
}

/// A synthetic half-map pair and what is known about it.
public struct SyntheticPair: Sendable {
    /// The noise-free map.
    public var truth: Volume
    /// Half map 1: truth plus independent noise.
    public var half1: Volume
    /// Half map 2: truth plus independent noise.
    public var half2: Volume
    /// The FSC the pair was built to have, per shell of the grid's `FourierShells`.
    public var expectedFSC: [Double]
}

/// Builds half-map pairs whose FSC follows a chosen curve, so that FSC code can be tested
/// against a known answer, and whose signal looks like a blurred protein-sized blob.
public enum SyntheticPairGenerator {
    /// Generates the pair. Each half is the signal plus white noise of one power N in every
    /// shell (scaled shell by shell to the realised power by `NoiseShaper`, so nothing is left
    /// to chance), with N chosen so that the FSC, S/(S + N) per shell, is 0.143 at the
    /// requested resolution.
    public static func make(_ p: SyntheticPairParameters) throws -> SyntheticPair {
        try p.validate()
        let grid = VoxelGrid(cube: p.size, voxel: p.voxelSize)
        let shells = FourierShells(grid: grid)
        var rng = SeededGenerator(seed: p.seed)

        // Point scatterers inside a sphere, spread onto the grid trilinearly, then blurred in
        // Fourier space: a cheap stand-in for a protein with the expected amplitude fall-off.
        var points = Volume(grid: grid)
        let n = Double(p.size)
        let radius = p.radiusFraction * n / 2
        let centre = (n - 1) / 2
        var placed = 0
        let atoms = p.atomCount
        while placed < atoms {
            let v = SIMD3(rng.nextUnit(), rng.nextUnit(), rng.nextUnit()) * 2 - 1
            guard (v * v).sum() <= 1 else { continue }
            let pos = SIMD3(repeating: centre) + v * radius
            splat(&points, at: pos, weight: Float(1 + rng.nextUnit()))
            placed += 1
        }
        var signal = FFT.forward(points)
        shells.apply(SpectralFilter(bFactor: p.signalBFactor), to: &signal)
        let truth = FFT.backward(signal)
        let sPower = shellPower(signal, shells)

        let crossing = shells.shell(atResolution: p.resolution)
        let noisePower = sPower[crossing] * (1 / 0.143 - 1)
        var expected = [Double](repeating: 1, count: shells.shellCount)
        for i in 1..<shells.shellCount { expected[i] = sPower[i] / (sPower[i] + noisePower) }
        var power = [Double](repeating: noisePower, count: shells.shellCount)
        power[0] = 0
        let (half1, half2) = NoiseShaper(shells: shells).halfMaps(signal: signal, noisePower: power,
                                                                  seeds: (p.seed &+ 1000, p.seed &+ 1001), exact: false)
        return SyntheticPair(truth: truth, half1: half1, half2: half2, expectedFSC: expected)
    }

    /// Mean power per shell of a spectrum.
    static func shellPower(_ f: HalfSpectrum, _ shells: FourierShells) -> [Double] {
        shells.meanPower(f)
    }

    /// Adds `weight` at a fractional position, shared among the 8 neighbouring voxels.
    static func splat(_ v: inout Volume, at p: SIMD3<Double>, weight: Float) {
        let n = v.grid.size
        let b = SIMD3(Int(p.x.rounded(.down)), Int(p.y.rounded(.down)), Int(p.z.rounded(.down)))
        let f = p - SIMD3(Double(b.x), Double(b.y), Double(b.z))
        for dz in 0...1 { for dy in 0...1 { for dx in 0...1 {
            let x = b.x + dx, y = b.y + dy, z = b.z + dz
            guard x >= 0, y >= 0, z >= 0, x < n.x, y < n.y, z < n.z else { continue }
            let w = (dx == 0 ? 1 - f.x : f.x) * (dy == 0 ? 1 - f.y : f.y) * (dz == 0 ? 1 - f.z : f.z)
            v[x, y, z] += weight * Float(w)
        } } }
    }
}

import Foundation
import MapbookCore
import MapModel
import ModelMaps
import Simulation

/// A simulated complex of three domains (three-helix bundles, chains A–C, D–F and G–I) and
/// three focused maps of it, each sharp (B = 40 Å²) in its own domain and blurred (B = 300 Å²)
/// elsewhere, with white noise, each on its own box, voxel size, NSTART and ORIGIN.
enum SimulatedComplex {
    /// B-factor of the truth and of each map's own domain.
    static let sharpB = 40.0
    /// B-factor of the other domains in each map.
    static let blurredB = 300.0

    /// The complex: domain k's chains renamed, its bundle centred at `centres[k]`.
    static let centres = [SIMD3(30.0, 30, 30), SIMD3(62.0, 30, 30), SIMD3(46.0, 58, 30)]
    static let model: AtomicModel = {
        var p = HelixBundleParameters()
        p.helices = 3
        p.residuesPerHelix = 16
        let bundle = try! HelixBundle.make(p)
        let names = Array("ABCDEFGHI").map(String.init)
        var atoms: [Atom] = []
        for (k, c) in centres.enumerated() {
            for var a in bundle.translated(by: c).atoms {
                a.chainID = names[3 * k + ["A": 0, "B": 1, "C": 2][a.chainID]!]
                a.bFactor = sharpB
                atoms.append(a)
            }
        }
        return AtomicModel(atoms: atoms)
    }()

    /// The chains of domain k.
    static func domain(_ k: Int) -> Set<String> { Set(Array("ABCDEFGHI")[(3 * k)..<(3 * k + 3)].map(String.init)) }

    /// The atoms of domain k.
    static func domainModel(_ k: Int) -> AtomicModel { AtomicModel(atoms: model.atoms.filter { domain(k).contains($0.chainID) }) }

    /// Focused map k: its grid (voxel 1.0, 1.15, 1.3 Å; padding 6, 9, 12 Å; different NSTART and
    /// ORIGIN placing the same first voxel), density sharp in domain k, noise of 0.2 × the
    /// density's RMS inside the molecule.
    static func focusedMap(_ k: Int) -> Volume {
        let voxel = [1.0, 1.15, 1.3][k], pad = [6.0, 9.0, 12.0][k]
        let b = model.bounds
        let first = b.min - pad
        let size = SIMD3(Int(((b.max.x + pad - first.x) / voxel).rounded(.up)) + 1, Int(((b.max.y + pad - first.y) / voxel).rounded(.up)) + 1,
                         Int(((b.max.z + pad - first.z) / voxel).rounded(.up)) + 1)
        let nstart = [SIMD3(0, 0, 0), SIMD3(-7, 3, 11), SIMD3(20, -4, 0)][k]
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(repeating: voxel), nstart: nstart,
                             origin: first - SIMD3(Double(nstart.x), Double(nstart.y), Double(nstart.z)) * voxel)
        var focused = model
        for i in focused.atoms.indices where !domain(k).contains(focused.atoms[i].chainID) { focused.atoms[i].bFactor = blurredB }
        var map = try! ModelMap.density(of: focused, on: grid)
        let mask = ModelMask.binary(model, grid: grid, radius: 2)
        var ss = 0.0, n = 0.0
        for i in 0..<grid.count where mask[i] { ss += Double(map.voxels[i] * map.voxels[i]); n += 1 }
        let sd = 0.2 * (ss / n).squareRoot()
        var rng = SeededGenerator(seed: UInt64(17 + k))
        for i in 0..<grid.count { map.voxels[i] += Float(sd * rng.nextGaussian()) }
        return map
    }
}

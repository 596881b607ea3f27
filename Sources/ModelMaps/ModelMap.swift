import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How a map is computed from an atomic model.
public struct ModelMapParameters: DeclaredParameters, Equatable {
    /// B-factor (Å²) added to every atom's own: extra blur, or sharpening when negative (as long
    /// as every atom's total stays positive). Applied as exp(−B s²/4), s = 1/d, like every B in
    /// mapbook, and exactly: it widens each atom's Gaussians.
    @Parameter("bfactor", unit: "Å²", "B-factor added to every atom (positive blurs, negative sharpens while every atom's total stays positive)")
    public var extraBFactor: Double = 0
    /// Low-pass resolution (Å), a raised-cosine edge as `SpectralFilter` applies; nil for none.
    @Parameter("resolution", .positive, unit: "Å", "low-pass the model map at this resolution (raised-cosine edge)",
               defaultMeaning: "no low-pass", inStarterPlan: false)
    public var resolution: Double? = nil
    /// Width of the low-pass edge, in Fourier shells (an internal setting).
    public var lowPassEdgeShells: Double = 2
    /// Density below which an atom's Gaussians are cut off (the same units as the map; gemmi's
    /// default too). Sets each atom's radius, and so the cost: atoms × that neighbourhood.
    /// An internal setting.
    public var cutoff: Double = 1e-5

    /// No extra blur, no low-pass.
    public init() {}

    /// The given extra B-factor and low-pass.
    public init(extraBFactor: Double = ModelMapParameters().extraBFactor, resolution: Double? = ModelMapParameters().resolution) {
        self.extraBFactor = extraBFactor
        self.resolution = resolution
    }
}

/// Maps computed from atomic models: the electrostatic potential that electrons scatter from,
/// as cryo-EM maps show it.
///
/// Each atom contributes Σᵢ occ·aᵢ·(4π/Bᵢ)^{3/2}·exp(−4π²r²/Bᵢ), Bᵢ = bᵢ + B_atom + B_extra:
/// the real-space form of its five-Gaussian scattering factor (`ElectronScattering`) times its
/// Debye–Waller factor. Values are sampled at voxel centres, which sit at
/// `grid.firstVoxelPosition + index·voxelSize`, so the map lines up with any map on that grid.
public enum ModelMap {
    /// The density of `model` on `grid`.
    ///
    /// Cost: atoms × the voxels within each atom's cut-off radius. The work is split into
    /// z-slabs, one per worker, each writing only its own planes; every voxel adds its atoms in
    /// model order, so the result is the same for any thread count. `planning` chooses the FFT
    /// plan of the optional low-pass (see `FFTPlanning`).
    public static func density(of model: AtomicModel, on grid: VoxelGrid,
                               parameters: ModelMapParameters = ModelMapParameters(),
                               planning: FFTPlanning = .fastest) throws -> Volume {
        try parameters.validate()
        try ModelPlacement.requireOverlap(model, grid: grid)
        let kernels = try AtomKernels(model, grid: grid, parameters: parameters)
        var map = Volume(grid: grid)
        map.voxels.withUnsafeMutableBufferPointer { out in
            Parallelism.forEachRange(grid.size.z) { _, planes in
                kernels.add(planes: planes, into: out)
            }
        }
        if let d = parameters.resolution {
            let shells = FourierShells(grid: grid)
            var spectrum = FFT.forward(map, planning: planning)
            shells.apply(SpectralFilter(lowPass: d, lowPassEdgeShells: parameters.lowPassEdgeShells), to: &spectrum)
            map = FFT.backward(consume spectrum, planning: planning)
        }
        return map
    }
}

/// Every atom's Gaussians, placed on a grid: the precomputed part of a model map.
struct AtomKernels {
    /// Gaussians per atom (the scattering factors' five terms).
    static let terms = 5

    let grid: VoxelGrid
    /// Atom centres in voxel units (continuous index coordinates).
    var centres: [SIMD3<Double>] = []
    /// Per atom and term: peak density occ·a·(4π/B)^{3/2}.
    var amplitudes: [Double] = []
    /// Per atom and term: 4π²/B (Å⁻²).
    var exponents: [Double] = []
    /// Per atom: cut-off radius (Å).
    var radii: [Double] = []
    /// Per atom: first and last z plane it reaches (empty range when it misses the box).
    var planeRanges: [ClosedRange<Int>?] = []

    init(_ model: AtomicModel, grid: VoxelGrid, parameters p: ModelMapParameters) throws {
        self.grid = grid
        guard p.cutoff > 0, p.cutoff.isFinite else { throw MapbookError("the density cut-off must be positive") }
        let first = grid.firstVoxelPosition
        let v = grid.voxelSize
        let count = model.atoms.count
        centres.reserveCapacity(count); radii.reserveCapacity(count); planeRanges.reserveCapacity(count)
        amplitudes.reserveCapacity(count * Self.terms); exponents.reserveCapacity(count * Self.terms)
        for (index, atom) in model.atoms.enumerated() {
            let f = ElectronScattering.formFactor(atom.element)
            var radius = 0.0
            for t in 0..<Self.terms {
                let total = f.b[t] + atom.bFactor + p.extraBFactor
                guard total > 0, total.isFinite else {
                    let numbers = String(format: "B %.2f Å² + extra B %.2f Å² = %.2f Å², too sharp: it must stay above %.4f Å², minus the narrowest Gaussian width of the element's scattering factor",
                                         atom.bFactor, p.extraBFactor, atom.bFactor + p.extraBFactor, -f.b.min()!)
                    throw MapbookError("atom \(index + 1) (\(atom.name) \(atom.residueName) \(atom.residueNumber) \(atom.chainID)) has \(numbers)")
                }
                let amplitude = atom.occupancy * f.a[t] * pow(4 * Double.pi / total, 1.5)
                let exponent = 4 * Double.pi * Double.pi / total
                amplitudes.append(amplitude)
                exponents.append(exponent)
                if amplitude > p.cutoff { radius = max(radius, (log(amplitude / p.cutoff) / exponent).squareRoot()) }
            }
            let u = (atom.position - first) / v
            centres.append(u)
            radii.append(radius)
            let lo = max(0, Int((u.z - radius / v.z).rounded(.up)))
            let hi = min(grid.size.z - 1, Int((u.z + radius / v.z).rounded(.down)))
            planeRanges.append(radius > 0 && lo <= hi ? lo...hi : nil)
        }
    }

    /// Adds the density of every atom that reaches `planes` into those planes of `out`.
    func add(planes: Range<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        let n = grid.size
        let v = grid.voxelSize
        let terms = Self.terms
        // Scratch tables, sized for the widest atom and reused for every atom.
        let widest = radii.max() ?? 0
        func span(_ axis: Int) -> Int { Int(2 * widest / v[axis]) + 3 }
        var ex = [Double](repeating: 0, count: terms * span(0))
        var ey = [Double](repeating: 0, count: terms * span(1))
        var ez = [Double](repeating: 0, count: terms * span(2))
        var c = [Double](repeating: 0, count: terms)
        for atom in 0..<centres.count {
            guard let reach = planeRanges[atom], reach.upperBound >= planes.lowerBound, reach.lowerBound < planes.upperBound else { continue }
            let u = centres[atom], r = radii[atom]
            let x0 = max(0, Int((u.x - r / v.x).rounded(.up))), x1 = min(n.x - 1, Int((u.x + r / v.x).rounded(.down)))
            let y0 = max(0, Int((u.y - r / v.y).rounded(.up))), y1 = min(n.y - 1, Int((u.y + r / v.y).rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            let z0 = max(planes.lowerBound, reach.lowerBound), z1 = min(planes.upperBound - 1, reach.upperBound)
            let (sx, sy, sz) = (x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1)
            // exp(−k|Δ|²) factorises over the axes: three small tables per term.
            for t in 0..<terms {
                let k = exponents[atom * terms + t]
                for i in 0..<sx { let d = (Double(x0 + i) - u.x) * v.x; ex[t * sx + i] = exp(-k * d * d) }
                for i in 0..<sy { let d = (Double(y0 + i) - u.y) * v.y; ey[t * sy + i] = exp(-k * d * d) }
                for i in 0..<sz { let d = (Double(z0 + i) - u.z) * v.z; ez[t * sz + i] = exp(-k * d * d) }
            }
            let r2 = r * r
            for iz in 0..<sz {
                let dz = (Double(z0 + iz) - u.z) * v.z
                for iy in 0..<sy {
                    let dy = (Double(y0 + iy) - u.y) * v.y
                    let left = r2 - dz * dz - dy * dy
                    guard left >= 0 else { continue }
                    // The x-run inside the cut-off sphere.
                    let half = left.squareRoot() / v.x
                    let xa = max(x0, Int((u.x - half).rounded(.up))), xb = min(x1, Int((u.x + half).rounded(.down)))
                    guard xa <= xb else { continue }
                    for t in 0..<terms { c[t] = amplitudes[atom * terms + t] * ey[t * sy + iy] * ez[t * sz + iz] }
                    let row = n.x * ((y0 + iy) + n.y * (z0 + iz))
                    for x in xa...xb {
                        let i = x - x0
                        var sum = 0.0
                        for t in 0..<terms { sum += c[t] * ex[t * sx + i] }
                        out[row + x] += Float(sum)
                    }
                }
            }
        }
    }
}

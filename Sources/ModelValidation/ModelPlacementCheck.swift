import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// Whether a model sits where the map says it should, and if not, the likely mistake.
///
/// Two mistakes recur when maps and models travel between programs. One is a frame read
/// another way: MRC headers place the first voxel by ORIGIN and by NSTART (mapbook adds
/// both), and programs that use only one of them, or neither, put the same voxels elsewhere.
/// The other is a shift by whole voxels (a box cut or padded without moving the model). The
/// first shows as atoms outside the box that another reading of the header would put inside;
/// the second as a map–model correlation that peaks away from zero shift.
public enum ModelPlacementCheck {
    /// The fraction of atoms above which the model is taken to lie in the box.
    public static let mostlyInside = 0.5

    /// The fraction of `atoms` inside `grid`'s box (voxel centres ± half a voxel).
    public static func insideFraction(_ atoms: [Atom], grid: VoxelGrid) -> Double {
        guard !atoms.isEmpty else { return 0 }
        return Double(ModelPlacement.atomsInside(AtomicModel(atoms: atoms), grid: grid)) / Double(atoms.count)
    }

    /// The grid as other programs may have read the same header: ORIGIN alone, NSTART alone,
    /// or neither (the grid as mapbook reads it, ORIGIN plus NSTART, is not among them).
    public static func otherReadings(of grid: VoxelGrid) -> [(reading: String, grid: VoxelGrid)] {
        var out: [(String, VoxelGrid)] = []
        if grid.nstart != .zero {
            out.append(("ORIGIN alone (NSTART ignored)", VoxelGrid(size: grid.size, voxelSize: grid.voxelSize, origin: grid.origin)))
        }
        if grid.origin != .zero {
            out.append(("NSTART alone (ORIGIN ignored)", VoxelGrid(size: grid.size, voxelSize: grid.voxelSize, nstart: grid.nstart)))
        }
        if grid.nstart != .zero && grid.origin != .zero {
            out.append(("neither ORIGIN nor NSTART", VoxelGrid(size: grid.size, voxelSize: grid.voxelSize)))
        }
        return out
    }

    /// Throws one line naming `mapPath` when more than half of the model's scored atoms lie
    /// outside the map's box, with the reading of the header that would put them inside when
    /// there is one. Returns the fraction inside otherwise.
    @discardableResult
    public static func requireMostlyInside(_ model: AtomicModel, grid: VoxelGrid, mapPath: String? = nil) throws -> Double {
        let atoms = ModelValidation.scoredAtoms(model)
        guard !atoms.isEmpty else { throw MapbookError("the model has no atoms other than hydrogens") }
        let inside = insideFraction(atoms, grid: grid)
        if inside > mostlyInside { return inside }
        var message = String(format: "%.0f %% of the model's atoms lie outside the map's box", 100 * (1 - inside))
        if let better = otherReadings(of: grid).map({ ($0.reading, insideFraction(atoms, grid: $0.grid)) }).max(by: { $0.1 < $1.1 }),
           better.1 > mostlyInside {
            message += String(format: "; read with %@ the box would hold %.0f %% of them: the map's header is probably read differently by the program that made the model",
                              better.0, 100 * better.1)
        } else {
            message += "; the model and the map are in different frames"
        }
        throw MapbookError(message, path: mapPath)
    }

    /// The whole-voxel shift of `modelMap` that best matches `map` (same grid): the peak of
    /// their cross-correlation, found with one pair of transforms, with the correlation at no
    /// shift and at the peak. `shift` is what to add to the model's coordinates, in voxels.
    public static func bestShift(map: Volume, modelMap: Volume) -> (shift: SIMD3<Int>, correlationAtZero: Double, correlationAtBest: Double) {
        let n = map.grid.size
        var a = FFT.forward(map), b = FFT.forward(modelMap)
        // Zero the mean (the DC term) of both, then a·conj(b): its inverse is the
        // cross-correlation Σ_x map(x + s)·model(x) over every periodic shift s.
        a.coefficients[0] = ComplexF(0, 0)
        b.coefficients[0] = ComplexF(0, 0)
        var powerA = 0.0, powerB = 0.0
        let hCount = a.hCount
        a.coefficients.withUnsafeMutableBufferPointer { pa in
            b.coefficients.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count {
                    // Coefficients off the h = 0 and Nyquist planes stand for a Friedel pair.
                    let weight = FourierShells.hermitianWeight(i % hCount, nx: n.x)
                    powerA += weight * Double(pa[i].squaredMagnitude)
                    powerB += weight * Double(pb[i].squaredMagnitude)
                    let (x, y) = (pa[i], pb[i])
                    pa[i] = ComplexF(x.re * y.re + x.im * y.im, x.im * y.re - x.re * y.im)
                }
            }
        }
        let correlation = FFT.backward(a)
        // The forward transform carries the 1/N: the inverse of A·conj(B) is (1/N) Σ a b at each
        // shift, and Parseval makes each power sum (1/N) Σ a², so CC(s) = c(s) / sqrt(P_A P_B).
        let norm = (powerA * powerB).squareRoot()
        guard norm > 0 else { return (.zero, .nan, .nan) }
        var best = 0
        correlation.voxels.withUnsafeBufferPointer { c in
            for i in 1..<c.count where c[i] > c[best] { best = i }
        }
        let scale = 1 / norm
        func wrapped(_ v: Int, _ m: Int) -> Int { v > m / 2 ? v - m : v }
        let shift = SIMD3(wrapped(best % n.x, n.x), wrapped((best / n.x) % n.y, n.y), wrapped(best / (n.x * n.y), n.z))
        return (shift, scale * Double(correlation.voxels[0]), scale * Double(correlation.voxels[best]))
    }
}

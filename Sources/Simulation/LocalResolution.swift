import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// How the true local resolution of a simulated map varies in space.
public enum LocalResolutionPattern: String, Sendable, Codable, CaseIterable, ParameterChoice {
    /// No spatial blur: the truth keeps the model map's full detail, and its local resolution
    /// is taken to be the FSC design's resolution everywhere.
    case uniform
    /// Two halves of the molecule along x: the −x side at the best resolution, the +x side at
    /// the worst, joined by a smooth transition of `transitionWidth` Å through the molecule's
    /// centre.
    case split
    /// Best at the molecule's centre, worsening smoothly to the worst at its outermost atom,
    /// as flexible peripheries do in real maps.
    case radial
    /// Whole chains at two levels: chains A, C, E, … at the best, B, D, F, … at the worst, as
    /// domains that move independently do; the transition between them is `transitionWidth` Å.
    case domains
}

/// The spatially varying blur of a simulation.
public struct LocalResolutionDesign: DeclaredParameters, Equatable {
    /// The spatial pattern.
    @Parameter("local_pattern", "local-resolution pattern: uniform, split (two halves along x), radial, or domains (alternate chains sharp and blurred)")
    public var pattern: LocalResolutionPattern = .uniform
    /// Best local resolution (Å).
    @Parameter("best_resolution", .positive, unit: "Å", "best local resolution (split and radial patterns)")
    public var best: Double = 3.5
    /// Worst local resolution (Å).
    @Parameter("worst_resolution", .positive, unit: "Å", "worst local resolution (split and radial patterns)")
    public var worst: Double = 6
    /// Width of the split pattern's transition (Å).
    @Parameter("transition", .positive, unit: "Å", "width of the split and domains patterns' transition")
    public var transitionWidth: Double = 8
    /// How the blur acts: a low-pass of the truth itself, or a B-factor envelope on the half
    /// maps' signal with the truth left sharp.
    @Parameter("blur", "how the local blur acts: lowpass (the truth is blurred too) or bfactor (an envelope on the half maps' signal; the truth stays sharp)")
    public var blur: LocalBlurKind = .lowpass
    /// Envelope B of the best-resolved parts (`bfactor` blur; with the uniform pattern, of the
    /// whole map).
    @Parameter("sharp_bfactor", .nonNegative, unit: "Å²", "bfactor blur: envelope B of the best-resolved parts (of the whole map with the uniform pattern)")
    public var sharpBFactor: Double = 20
    /// Envelope B of the worst-resolved parts (`bfactor` blur).
    @Parameter("blurred_bfactor", .nonNegative, unit: "Å²", "bfactor blur: envelope B of the worst-resolved parts")
    public var blurredBFactor: Double = 200

    /// The uniform pattern (no spatial blur).
    public init() {}

    /// The worst resolution not finer than the best; the blurred envelope not sharper than the
    /// sharp one.
    public func validateTogether() throws {
        if blur == .bfactor {
            guard blurredBFactor < sharpBFactor else { return }
            throw ParameterProblem(key: "blurred_bfactor", value: blurredBFactor.parameterText,
                                   "must not be smaller than sharp_bfactor (\(sharpBFactor.parameterText) Å²)")
        }
        guard pattern != .uniform, worst < best else { return }
        throw ParameterProblem(key: "worst_resolution", value: worst.parameterText,
                               "must not be finer than best_resolution (\(best.parameterText) Å)")
    }

    /// A design; what is not given keeps its default.
    public init(pattern: LocalResolutionPattern = LocalResolutionDesign().pattern, best: Double = LocalResolutionDesign().best,
                worst: Double = LocalResolutionDesign().worst, transitionWidth: Double = LocalResolutionDesign().transitionWidth) {
        self.pattern = pattern
        self.best = best
        self.worst = worst
        self.transitionWidth = transitionWidth
    }

    /// A B-factor envelope design (`blur` bfactor): the half maps' signal attenuated by
    /// `sharp` Å² in the best-resolved parts and `blurred` Å² in the worst, the truth sharp
    /// (the sharpening harness's designs).
    public static func bfactorEnvelope(_ pattern: LocalResolutionPattern, sharp: Double, blurred: Double,
                                       transitionWidth: Double = LocalResolutionDesign().transitionWidth) -> LocalResolutionDesign {
        var d = LocalResolutionDesign(pattern: pattern, transitionWidth: transitionWidth)
        d.blur = .bfactor
        d.sharpBFactor = sharp
        d.blurredBFactor = blurred
        return d
    }

    /// Where `position` lies between the best (0) and the worst (1) for the split and radial
    /// patterns, for a molecule centred at `centre` whose outermost atom lies `radius` Å from
    /// it; a smoothstep so the field has no kinks. The uniform and domains patterns give 0
    /// (domains depend on the model: `blend(on:model:centre:radius:)`).
    public func fraction(at position: SIMD3<Double>, centre: SIMD3<Double>, radius: Double) -> Double {
        switch pattern {
        case .uniform, .domains: return 0
        case .split: return smoothstep((position.x - centre.x) / transitionWidth + 0.5)
        case .radial:
            let d = position - centre
            return smoothstep((d * d).sum().squareRoot() / max(radius, 1e-9))
        }
    }

    /// The local resolution (Å) at `position` for the split and radial patterns: the best and
    /// the worst interpolated in frequency (1/d) by `fraction(at:centre:radius:)`.
    public func resolution(at position: SIMD3<Double>, centre: SIMD3<Double>, radius: Double) -> Double {
        let t = fraction(at: position, centre: centre, radius: radius)
        return 1 / (1 / best + t * (1 / worst - 1 / best))
    }

    /// The blend per voxel on `grid`, from 0 (best) to 1 (worst). For domains: the soft mask of
    /// the blurred chains over the sum of both soft masks, each `transitionWidth` Å wide at the
    /// edge, so the blend is 0 or 1 within a chain and changes smoothly where chains meet.
    public func blend(on grid: VoxelGrid, model: AtomicModel, centre: SIMD3<Double>, radius: Double) -> Volume {
        guard pattern == .domains else {
            let first = grid.firstVoxelPosition, v = grid.voxelSize
            return Volume(grid: grid) { x, y, z in
                Float(fraction(at: first + SIMD3(Double(x), Double(y), Double(z)) * v, centre: centre, radius: radius))
            }
        }
        var chains: [String] = []
        for a in model.atoms where chains.last != a.chainID && !chains.contains(a.chainID) { chains.append(a.chainID) }
        var sharp = model, blurred = model
        sharp.atoms = model.atoms.filter { (chains.firstIndex(of: $0.chainID) ?? 0) % 2 == 0 }
        blurred.atoms = model.atoms.filter { (chains.firstIndex(of: $0.chainID) ?? 0) % 2 == 1 }
        let s = ModelMask.soft(sharp, grid: grid, radius: 2, edge: transitionWidth)
        let b = ModelMask.soft(blurred, grid: grid, radius: 2, edge: transitionWidth)
        var t = b
        t.voxels.withUnsafeMutableBufferPointer { o in
            s.voxels.withUnsafeBufferPointer { sv in
                for i in 0..<o.count { o[i] = o[i] + sv[i] > 0 ? o[i] / (o[i] + sv[i]) : 0 }
            }
        }
        return t
    }

    private func smoothstep(_ x: Double) -> Double {
        let c = min(1, max(0, x))
        return c * c * (3 - 2 * c)
    }

    /// The field of local resolutions (Å per voxel) on `grid`: best and worst interpolated in
    /// frequency by the blend (`blend(on:model:centre:radius:)`). The split and radial patterns
    /// are evaluated at each voxel's position in double precision.
    public func field(on grid: VoxelGrid, model: AtomicModel, centre: SIMD3<Double>, radius: Double) -> Volume {
        guard pattern == .domains else {
            let first = grid.firstVoxelPosition, v = grid.voxelSize
            return Volume(grid: grid) { x, y, z in
                Float(resolution(at: first + SIMD3(Double(x), Double(y), Double(z)) * v, centre: centre, radius: radius))
            }
        }
        var out = blend(on: grid, model: model, centre: centre, radius: radius)
        out.voxels.withUnsafeMutableBufferPointer { r in
            for i in 0..<r.count { r[i] = Float(1 / (1 / best + Double(r[i]) * (1 / worst - 1 / best))) }
        }
        return out
    }
}

/// A spatially varying low-pass: each voxel keeps the frequencies below its own local
/// resolution.
///
/// Computed as a blend of copies of the map low-passed at evenly spaced frequencies between
/// 1/worst and 1/best (raised-cosine edges as wide as the spacing, at most two shells): a voxel
/// whose local frequency lies between two copies' takes them with linear weights, so its
/// effective transfer function passes through 0.5 at its own local frequency.
public enum LocalBlur {
    /// The cut-off frequencies (Å⁻¹) of the copies for the range [best, worst] on `shells`.
    public static func levels(best: Double, worst: Double, shells: FourierShells) -> [Double] {
        let hi = 1 / best, lo = 1 / worst
        guard hi - lo > 1e-9 else { return [hi] }
        let count = min(32, max(2, Int(((hi - lo) * shells.referenceLength / 2).rounded(.up)) + 1))
        return (0..<count).map { lo + (hi - lo) * Double($0) / Double(count - 1) }
    }

    /// `spectrum`'s map with each voxel low-passed at `field`'s resolution there (Å).
    public static func apply(_ spectrum: HalfSpectrum, field: Volume, best: Double, worst: Double,
                             shells: FourierShells, planning: FFTPlanning = .fastest) -> (map: Volume, levels: [Double]) {
        let frequencies = levels(best: best, worst: worst, shells: shells)
        let spacing = frequencies.count > 1 ? frequencies[1] - frequencies[0] : 2 / shells.referenceLength
        var out = Volume(grid: spectrum.grid)
        for (j, f) in frequencies.enumerated() {
            var copy = spectrum
            shells.apply(SpectralFilter(lowPass: 1 / f, lowPassEdgeShells: spacing * shells.referenceLength), to: &copy)
            let level = FFT.backward(consume copy, planning: planning)
            // Position of each voxel's frequency on the level scale.
            LevelBlend.add(level, index: j, count: frequencies.count, keys: field, into: &out) { r in
                frequencies.count > 1 ? (1 / Double(r) - frequencies[0]) / spacing : 0
            }
        }
        return (out, frequencies)
    }
}

/// Blends copies of a map at evenly spaced levels voxel by voxel: each voxel's key gives its
/// position p on the level scale (0 … count − 1), and level j enters with weight
/// max(0, 1 − |p − j|), so a voxel between two levels takes them linearly.
enum LevelBlend {
    /// out += weight of level `index` at each voxel × `level`, the position from `keys`.
    static func add(_ level: Volume, index j: Int, count: Int, keys: Volume, into out: inout Volume,
                    position: @escaping @Sendable (Float) -> Double) {
        out.voxels.withUnsafeMutableBufferPointer { o in
            level.voxels.withUnsafeBufferPointer { l in
                keys.voxels.withUnsafeBufferPointer { k in
                    Parallelism.forEachRange(o.count, minimumPerChunk: 1 << 15) { _, range in
                        for i in range {
                            let p = min(Double(count - 1), max(0, position(k[i])))
                            let w = max(0, 1 - abs(p - Double(j)))
                            if w > 0 { o[i] += Float(w) * l[i] }
                        }
                    }
                }
            }
        }
    }
}

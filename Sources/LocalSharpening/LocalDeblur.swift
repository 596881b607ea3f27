import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// LocalDeblur (Ramírez-Aportela et al. 2020): sharpening guided by a local-resolution map, as
/// xmipp's `volume_local_sharpening` does it.
///
/// The map V0 is modelled as H[V], with H the space-variant blur of `DeblurOperator`; V is
/// sought by the Landweber iteration
///
///     X_i = H[V_i],   V_{i+1} = max(V_i + λ·H[V0 − X_i], −4σ_out),   V_1 = V0,
///
/// where σ_out is the standard deviation of V0 outside the mask. λ = 1 means automatic:
/// ‖V0‖ / (12 ‖X_1‖). Iterations stop by `InnerStopRule` (the stopping iteration's update is
/// applied) or at `maximumInnerIterations`. H is zero outside the mask, so voxels there keep
/// their input value except for the floor.
///
/// mapbook departs from xmipp in two measured ways (`LocalDeblurParameters.xmipp` restores it):
/// bands finer than a voxel's local resolution are tapered out of the operator
/// (`resolutionTaper`), and the iteration stops at the third step (`maximumInnerIterations`).
/// Why (issue 16): CC with the truth inside the mask, 64³ simulations with seed 1 (5ME2 at
/// 1.2 Å), the local resolution from MonoRes on the half maps unless said, one round:
///
/// | design | none | global auto-sharpen (adj. SA) | xmipp | true ρ map | K 0.01 / 0.1 / 0.5 | λ ×½ | taper, xmipp's stop | taper + 3 steps (default) |
/// |---|---|---|---|---|---|---|---|---|
/// | helices, domains, B 20/200 Å², 3 Å | 0.818 | 0.854 | 0.843 | 0.847 | 0.842 / 0.844 / 0.844 | 0.853 | 0.866 | 0.864 |
/// | helices, radial, B 20/150 Å², 4 Å | 0.771 | 0.824 | 0.691 | 0.700 | | 0.758 | 0.784 | 0.807 |
/// | helices, split, B 20/200 Å², 4 Å | 0.704 | 0.761 | 0.606 | 0.604 | | 0.680 | 0.672 | 0.714 |
/// | 5ME2, domains, B 20/200 Å², 3 Å | 0.769 | 0.764 | 0.765 | 0.763 | | 0.776 | 0.775 | 0.782 |
/// | 5ME2, radial, B 20/150 Å², 4 Å | 0.709 | 0.754 | 0.696 | | | | 0.736 | 0.742 |
/// | helices, radial, low-pass 3.5–6 Å, 4 Å | 0.911 | 0.985 | 0.742 | 0.734 | 0.742 (K 0.01) … 0.826 (K 1) | 0.872 | 0.859 | 0.904 |
/// | helices, split, low-pass 3.5–6 Å, 4 Å | 0.796 | 0.932 | 0.628 | 0.607 | | 0.749 | 0.785 | 0.819 |
/// | 5ME2, radial, low-pass 3.5–6 Å, 4 Å | 0.932 | 0.967 | 0.829 | | | | 0.896 | 0.928 |
///
/// So the resolution map's quality (MonoRes against the simulation's true map) and K move the
/// result by about 0.01; what loses is the band weighting — xmipp's symmetric weights give
/// bands finer than ρ nearly ρ's own weight, so a 6 Å voxel has its 3–6 Å noise boosted like
/// its signal — and the amount of boost: xmipp's stop rule runs 8–10 steps of λ = ‖V0‖/(12‖H V0‖),
/// two to three times the best (λ×steps ≈ 10–25, against ≈ 50). Seeds 2 and 3 repeat the
/// helix numbers within 0.01 (defaults: domains 0.864, 0.864; radial 0.804, 0.804; split 0.707,
/// 0.714). Deblurring a globally sharpened map instead of the average
/// (the cell's `map`) loses too (0.828 against 0.843 on the domains design).
public enum LocalDeblur {
    /// Runs LocalDeblur on `map` with the local resolutions of `resolution` (prepared on the
    /// map's grid). Returns the sharpened map, on the input's grid, and the record of the run.
    ///
    /// With `halves` (the half maps whose average `map` is, or whose tracked half-1 map went
    /// through the same operations), the half-1 map is iterated alongside with the same λ and
    /// floor, the half maps' estimate of each iterate's correlation with the true map is taken
    /// inside the resolution map's mask (`DeblurHalfMaps`), and the best iterate is returned,
    /// the input itself (iteration 0) included: the run never returns a map the half maps
    /// expect to be worse than its input. The returned track is half 1 at the same iterate.
    public static func run(map v0: Volume, resolution: PreparedResolutionMap, parameters p: LocalDeblurParameters = LocalDeblurParameters(),
                           halves: DeblurHalfMaps? = nil,
                           progress: ProgressReporter = .silent) throws -> (map: Volume, record: LocalDeblurRecord, halves: DeblurHalfMaps?) {
        try validate(p)
        let grid = v0.grid
        if let why = grid.mismatch(with: resolution.resolution.grid) {
            throw MapbookError("the local-resolution map is not on the map's grid: \(why)")
        }
        var warnings: [String] = []
        let setupStart = Date()
        let referenceLength = grid.boxLength.max()
        let bank = try DeblurFilterBank(voxel: grid.voxelSize.max(), maxResolution: resolution.record.maximum,
                                        referenceLength: referenceLength, k: p.k, step: p.bandStep, fineTaper: p.resolutionTaper)
        let op: DeblurOperator
        var nodes: [Double] = []
        switch p.formulation {
        case .filterBank:
            op = FilterBankOperator(bank: bank, resolution: resolution)
        case .interpolated:
            let interpolated = InterpolatedDeblurOperator(bank: bank, resolution: resolution, nodeSpacing: p.nodeSpacing)
            nodes = zip(interpolated.nodes, interpolated.nodeUsed).filter { $0.1 }.map { $0.0 }
            op = interpolated
        }
        progress.step("LocalDeblur: \(bank.bands.count) bands \(fmt(bank.bands.first!.resolution))–\(fmt(bank.bands.last!.resolution)) Å, operator \(op.formulationName)")

        // σ_out over the voxels without a valid resolution.
        let outside = outsideStatistics(v0, mask: resolution.mask)
        var clamp: Float? = nil
        if outside.count < 2 {
            warnings.append("no voxel lies outside the local-resolution mask, so the −4σ floor of the update is disabled")
        } else if !(outside.sd > 0) {
            warnings.append("the map is constant outside the local-resolution mask (it was masked already), so the −4σ floor of the update is disabled; LocalDeblur expects an unmasked map")
        } else {
            clamp = Float(-4 * outside.sd)
        }
        let setupSeconds = Date().timeIntervalSince(setupStart)

        let iterationStart = Date()
        let normV0 = BlockSums.squaredNorm(v0.voxels).squareRoot()
        guard normV0 > 0 else { throw MapbookError("the map is zero everywhere; there is nothing to sharpen") }
        var v = v0
        var x = Volume(grid: grid)
        var difference = Volume(grid: grid)
        var rule = InnerStopRule()
        var lambda = p.lambda
        var capped = false
        var norms: [Double] = [], costs: [Double] = []
        var stoppedByRule = false
        var clamped = 0
        var iteration = 0
        var judge = halves.flatMap { DeblurIterateJudge($0, input: v0) }
        while iteration < p.maximumInnerIterations {
            iteration += 1
            progress.update("LocalDeblur iteration \(iteration)", fraction: Double(iteration) / Double(p.maximumInnerIterations))
            op.apply(v, into: &x)
            let norm = BlockSums.squaredNorm(x.voxels).squareRoot()
            norms.append(norm)
            let stop = rule.observe(norm: norm)
            if iteration == 1 && p.automaticLambda {
                lambda = norm > 0 ? normV0 / norm / 12 : .infinity
                if !(lambda <= p.maximumAutomaticLambda) {
                    capped = true
                    lambda = p.maximumAutomaticLambda
                    warnings.append(String(format: "the automatic λ was capped at %.0f: the map has almost no content in the sharpening bands (‖H V0‖/‖V0‖ = %.2g)", lambda, norm / normV0))
                }
            }
            // difference = V0 − X_i, and the cost ‖V0 − X_i‖ / ‖V0‖.
            subtract(v0, x, into: &difference)
            costs.append(BlockSums.squaredNorm(difference.voxels).squareRoot() / normV0)
            op.apply(difference, into: &x)
            clamped = update(&v, step: x, lambda: Float(lambda), floor: clamp)
            judge?.step(iteration, average: v, operator: op, lambda: Float(lambda), floor: clamp, scratch: &x, &difference)
            if stop { stoppedByRule = true; break }
        }
        if let best = judge?.best {
            // An earlier iterate is the normal outcome (the record says which); only an
            // unchanged input is worth a warning.
            if best.iteration < iteration { v = best.map }
            if best.iteration == 0 {
                warnings.append("the half maps expect every LocalDeblur iterate to correlate less well with the true map than the input, so the input is returned unsharpened")
            }
        }
        let iterationSeconds = Date().timeIntervalSince(iterationStart)
        progress.step(String(format: "LocalDeblur: λ = %.3f, %d iterations (%@), %.1f s", lambda, iteration,
                             stoppedByRule ? "stop rule" : "iteration cap", iterationSeconds))
        // A cap at or below the rule's earliest firing is a chosen iteration count, not a cap hit.
        if !stoppedByRule && p.maximumInnerIterations > InnerStopRule.earliestFiring {
            warnings.append("LocalDeblur reached its cap of \(p.maximumInnerIterations) inner iterations before its stop rule fired")
        }
        let record = LocalDeblurRecord(
            lambda: lambda, lambdaAutomatic: p.automaticLambda, lambdaCapped: capped, innerIterations: iteration,
            stoppedByRule: stoppedByRule, norms: norms, normPercentages: rule.percentages, costs: costs, k: p.k,
            bandResolutions: bank.bands.map(\.resolution), formulation: op.formulationName, nodes: nodes,
            transforms: (judge == nil ? 2 : 4) * iteration * op.transformsPerApplication, sigmaOutside: outside.sd,
            clampLevel: clamp.map(Double.init), clampedVoxels: clamped, resolutionMap: resolution.record,
            setupSeconds: setupSeconds, iterationSeconds: iterationSeconds,
            expectedCorrelations: judge?.expected, keptIteration: judge?.best.iteration, warnings: warnings)
        return (v, record, judge?.next)
    }

    /// d = a − b, voxel by voxel.
    static func subtract(_ a: Volume, _ b: Volume, into d: inout Volume) {
        d.voxels.withUnsafeMutableBufferPointer { d in
            a.voxels.withUnsafeBufferPointer { a in
                b.voxels.withUnsafeBufferPointer { b in
                    Parallelism.forEachRange(d.count, minimumPerChunk: 1 << 16) { _, r in for i in r { d[i] = a[i] - b[i] } }
                }
            }
        }
    }

    static func validate(_ p: LocalDeblurParameters) throws {
        // The declared ranges (k, lambda, max_inner, node_spacing), then the internal settings.
        try p.validate()
        guard p.resolutionTaper.isFinite else { throw ParameterProblem(key: "resolution_taper", value: p.resolutionTaper.parameterText, "must be finite") }
        guard p.k.isFinite else { throw ParameterProblem(key: "k", value: p.k.parameterText, "must be finite") }
        guard p.lambda.isFinite else { throw ParameterProblem(key: "lambda", value: p.lambda.parameterText, "must be finite") }
        guard p.bandStep > 0, p.bandStep.isFinite else { throw MapbookError("the band step must be a positive number of Å, got \(p.bandStep)") }
        guard p.nodeSpacing.isFinite else { throw ParameterProblem(key: "node_spacing", value: p.nodeSpacing.parameterText, "must be finite") }
        guard p.maximumAutomaticLambda > 0 else { throw MapbookError("the cap on the automatic λ must be positive") }
    }

    /// Count and sample standard deviation of `map` where `mask` is 0.
    static func outsideStatistics(_ map: Volume, mask: Volume) -> (count: Int, sd: Double) {
        map.voxels.withUnsafeBufferPointer { v in
            mask.voxels.withUnsafeBufferPointer { m in
                let n = BlockSums.sum(count: v.count) { i in m[i] == 0 ? 1 : 0 }
                guard n >= 2 else { return (Int(n), 0) }
                let s = BlockSums.sum(count: v.count) { i in m[i] == 0 ? Double(v[i]) : 0 }
                let mean = s / n
                let ss = BlockSums.sum(count: v.count) { i in
                    guard m[i] == 0 else { return 0 }
                    let d = Double(v[i]) - mean
                    return d * d
                }
                return (Int(n), (ss / (n - 1)).squareRoot())
            }
        }
    }

    /// v = max(v + λ·step, floor), voxel by voxel; returns how many voxels sit at the floor.
    static func update(_ v: inout Volume, step: Volume, lambda: Float, floor: Float?) -> Int {
        let count = v.voxels.count
        let chunks = Parallelism.chunkCount(count, minimumPerChunk: 1 << 16)
        var held = [Int](repeating: 0, count: chunks)
        v.voxels.withUnsafeMutableBufferPointer { a in
            step.voxels.withUnsafeBufferPointer { s in
                held.withUnsafeMutableBufferPointer { h in
                    Parallelism.forEachRange(count, minimumPerChunk: 1 << 16) { c, r in
                        if let floor {
                            var n = 0
                            for i in r {
                                let t = a[i] + lambda * s[i]
                                if t < floor { a[i] = floor; n += 1 } else { a[i] = t }
                            }
                            h[c] = n
                        } else {
                            for i in r { a[i] += lambda * s[i] }
                        }
                    }
                }
            }
        }
        return held.reduce(0, +)
    }

    static func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}

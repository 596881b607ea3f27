import Foundation

/// Tab-separated tables of a sharpening run, for spreadsheets and plotting tools.
public enum SharpeningTables {
    /// Every trial, one row each: stage, method, parameters, score, surface, regions, kurtosis,
    /// and whether it was chosen. B-factors are applied Bs (exp(−B s²/4), negative sharpens).
    public static func trials(_ r: SharpeningReport) -> String {
        var out = "trial\tstage\tmethod\tapplied_B_A2\tmap_B_after_A2\td_cut_A\tb_blur_A2\tk_sharpen\tb0\tb1\tb2\t"
        out += "score\tadjusted_surface_area\tsurface_ratio\tsurface_voxels\tmeasured_voxels\tregions\tnormalized_regions\tkurtosis\tthreshold\tenclosed_voxels\texpected_cc\tchosen\n"
        for t in r.trials {
            let s = t.settings
            let m = t.measurement
            let cells: [String] = [
                "\(t.index)", t.stage.rawValue, s?.method.rawValue ?? "none",
                num(s?.bFactor, 2), num(t.mapBAfter, 2), num(s?.dCut, 3), num(s?.blurBeyondCut, 1), num(s?.kSharpen, 2),
                num(s?.b0, 4), num(s?.b1, 4), num(s?.b2, 4),
                num(t.score, 6), num(t.adjustedSurfaceArea, 6), num(m.surfaceRatio, 6), "\(m.surfaceVoxels)", "\(m.measuredVoxels)",
                "\(m.regions)", num(m.normalizedRegions, 8), num(m.kurtosis, 6), num(m.threshold, 6), "\(m.enclosedVoxels)",
                num(t.expectedCorrelation, 6), t.index == r.choice.trial ? "yes" : "",
            ]
            out += cells.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// The choice and why, as key–value rows.
    public static func choice(_ r: SharpeningReport) -> String {
        let c = r.choice
        let s = c.settings
        var rows: [(String, String)] = [
            ("method", s.method.rawValue),
            ("parameters", s.summary),
            ("trial", "\(c.trial)"),
            ("score_target", r.parameters.scoreTarget.rawValue),
            ("score", num(c.score, 6)),
            ("unsharpened_score", num(c.referenceScore, 6)),
            ("applied_B_A2", num(s.bFactor, 2)),
            ("map_B_A2", num(r.mapBFactor.bFactor, 2)),
            ("map_B_after_A2", num(c.mapBAfter, 2)),
            ("resolution_A", num(r.parameters.resolution, 3)),
            ("cutoff_A", num(r.cutoff.resolution, 3)),
            ("region_weight", num(r.regionWeight, 4)),
            ("region_weight_source", r.regionWeightSource),
            ("scored_region", r.region.how),
            ("box_start", "\(r.region.box.start.x),\(r.region.box.start.y),\(r.region.box.start.z)"),
            ("box_size", "\(r.region.box.size.x),\(r.region.box.size.y),\(r.region.box.size.z)"),
            ("molecular_volume_A3", num(r.molecularVolume.volume, 0)),
            ("molecular_volume_source", r.molecularVolume.source.rawValue),
            ("solvent_fraction_in_box", num(r.region.solventFraction, 4)),
            ("enclosed_voxels", "\(r.region.enclosedVoxels)"),
            ("score_signal_to_noise", num(r.scoreSignalToNoise, 2)),
            ("expected_cc", num(c.expectedCorrelation, 6)),
            ("unsharpened_expected_cc", num(c.unsharpenedExpectedCorrelation, 6)),
            ("kept_unsharpened", c.keptUnsharpened == true ? "yes" : "no"),
            ("local_cubes", r.local.map { "\($0.cubes.count)" } ?? ""),
            ("reason", c.reason),
        ]
        for (i, w) in r.warnings.enumerated() { rows.append(("warning_\(i + 1)", w)) }
        return "key\tvalue\n" + rows.map { "\($0.0)\t\($0.1.replacingOccurrences(of: "\t", with: " "))" }.joined(separator: "\n") + "\n"
    }

    static func num(_ x: Double?, _ digits: Int) -> String {
        guard let x, x.isFinite else { return "" }
        return String(format: "%.\(digits)f", x)
    }
}

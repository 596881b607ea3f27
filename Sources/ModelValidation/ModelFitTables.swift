import Foundation
import FourierEngine

/// A model fit as text: the summary lines, the per-residue table and the FSC table.
public enum ModelFitTables {
    static func number(_ x: Double?, _ digits: Int) -> String {
        guard let x, x.isFinite else { return "" }
        return String(format: "%.\(digits)f", x)
    }

    /// One line per measure, as the command prints them.
    public static func summary(_ r: ModelFitReport) -> String {
        var lines = [
            String(format: "Resolution used:     %.2f Å (%@)", r.resolution, r.resolutionSource),
            String(format: "Atoms:               %d scored, %.1f %% inside the box", r.placement.atoms, 100 * r.placement.insideFraction),
            "Map–model FSC:       0.5 at \(r.fscMasked.resolutionAtHalf.summary), 0.143 at \(r.fscMasked.resolutionAtGoldStandard.summary) (model mask)",
            String(format: "CC_mask %.3f  CC_box %.3f  CC_volume %.3f  CC_peaks %.3f", r.correlations.mask, r.correlations.box,
                   r.correlations.volume, r.correlations.peaks),
            String(format: "d99 %.2f Å  d_model %.2f Å  d_model (B = 0) %.2f Å", r.resolutions.d99, r.resolutions.dModel, r.resolutions.dModelB0),
            String(format: "Mean Q-score:        %.3f (σ %.1f Å)%@", r.meanQ, r.qSigma,
                   r.expectedQ.map { String(format: ", expected %.3f at %.2f Å", $0, r.resolution) } ?? ""),
            String(format: "Atom inclusion:      %.1f %% at level %.4g (%@)", 100 * r.atomInclusion, r.contour, r.contourSource),
        ]
        if let h = r.fscHalves, h.count == 2 {
            lines.append(String(format: "Against each half:   CC %.3f / %.3f; FSC 0.5 at %.2f / %.2f Å", h[0].correlation, h[1].correlation,
                                h[0].resolutionAtHalf.interpolatedResolution, h[1].resolutionAtHalf.interpolatedResolution))
        }
        return lines.joined(separator: "\n")
    }

    /// Tab-separated: chain, residue number, insertion code, name, Q, mean B, local resolution.
    public static func residues(_ r: ModelFitReport) -> String {
        var out = "chain\tresidue\tinsertion\tname\tq_score\tb_factor_A2\tlocal_resolution_A\n"
        for res in r.residues {
            out += "\(res.id.chainID)\t\(res.id.number)\t\(res.id.insertionCode)\t\(res.id.name)\t\(number(res.q, 4))\t\(number(res.bFactor, 2))\t\(number(res.localResolution, 2))\n"
        }
        return out
    }

    /// Tab-separated: shell, resolution, FSC unmasked, FSC masked (and against each half);
    /// undefined shells are left empty.
    public static func fsc(_ r: ModelFitReport) -> String {
        let curves = [r.fsc.fsc, r.fscMasked.fsc] + (r.fscHalves?.map(\.fsc) ?? [])
        var out = "shell\tresolution_A\tfsc_unmasked\tfsc_masked" + (r.fscHalves == nil ? "" : "\tfsc_half1_masked\tfsc_half2_masked") + "\n"
        for i in 1..<r.fsc.fsc.shellCount {
            out += "\(i)\t\(number(r.fsc.fsc.resolution(i), 3))"
            for c in curves { out += "\t" + (c.isDefined(i) ? number(c.fsc[i], 4) : "") }
            out += "\n"
        }
        return out
    }
}

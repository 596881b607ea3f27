import Foundation
import Figures
import FourierEngine
import ModelMaps
import ModelValidation
import Notebook

/// How a model fit appears in the report: the map–model FSC, the per-residue profiles, atom
/// inclusion against contour, the numbers and the worst residues.
enum ModelFitPresentation {
    static func present(_ r: ModelFitReport, worst: Int, cell: String, section: String) -> CellPresentation {
        let q = String(format: "%.3f", r.meanQ), expected = r.expectedQ.map { String(format: "%.3f", $0) }
        let dFSC = r.fscMasked.resolutionAtHalf
        var glance = [
            GlanceRow("Mean Q-score", q, (expected.map { "expected \($0) at \(String(format: "%.2f", r.resolution)) Å · " } ?? "") + cell),
            GlanceRow("CC_mask", String(format: "%.3f", r.correlations.mask), String(format: "CC_box %.3f · %@", r.correlations.box, cell)),
            GlanceRow("Map–model FSC 0.5", dFSC.summary, "model mask · \(cell)", priority: GlanceRow.Priority.resolution + 2),
            GlanceRow("Atom inclusion", String(format: "%.1f %%", 100 * r.atomInclusion), String(format: "at %.4g (%@) · %@", r.contour, r.contourSource, cell)),
        ]
        if let h = r.fscHalves, h.count == 2 {
            glance.append(GlanceRow("Model against each half", String(format: "CC %.3f / %.3f", h[0].correlation, h[1].correlation), "masked · \(cell)"))
        }
        var flags = r.warnings.map { "\(cell): \($0)" }
        if let e = r.expectedQ, r.meanQ < e - VerdictRules.qShortfall {
            flags.append(String(format: "%@: mean Q %.2f is %.2f below the %.2f expected at %.2f Å: check the fit", cell, r.meanQ, e - r.meanQ, e, r.resolution))
        }
        return CellPresentation(
            summary: "Mean Q-score \(q)\(expected.map { " (expected \($0))" } ?? ""); CC_mask \(String(format: "%.3f", r.correlations.mask)); map–model FSC 0.5 at \(dFSC.summary); \(r.placement.atoms) atoms.",
            figures: [fscFigure(r), qFigure(r), bFigure(r), inclusionFigure(r)].compactMap { $0 },
            tables: [numbersTable(r), worstTable(r, count: worst)], glance: glance, flags: flags,
            dataFiles: [DataFile(name: "model_fit_residues.tsv", data: Data(ModelFitTables.residues(r).utf8)),
                        DataFile(name: "model_fit_fsc.tsv", data: Data(ModelFitTables.fsc(r).utf8))],
            verdicts: [Verdict.summarising(VerdictRules.modelFit(r, section: section), section: section,
                                           passReason: "mean Q \(q)\(expected.map { " (expected \($0))" } ?? ""), CC_mask \(String(format: "%.2f", r.correlations.mask))")])
    }

    static func fscFigure(_ r: ModelFitReport) -> PresentedFigure {
        var curves = [FSCFigure.Curve(name: "unmasked", role: .unmasked, frequency: r.fsc.fsc.frequency, fsc: r.fsc.fsc.fsc),
                      FSCFigure.Curve(name: "model mask", role: .corrected, frequency: r.fscMasked.fsc.frequency, fsc: r.fscMasked.fsc.fsc)]
        for (i, h) in (r.fscHalves ?? []).enumerated() {
            curves.append(.init(name: "half map \(i + 1), model mask", role: .other, frequency: h.fsc.frequency, fsc: h.fsc.fsc))
        }
        var crossings: [FSCFigure.Crossing] = []
        for (estimate, value) in [(r.fscMasked.resolutionAtHalf, 0.5), (r.fscMasked.resolutionAtGoldStandard, 0.143)] where estimate.status == .crossed {
            crossings.append(.init(frequency: 1 / estimate.interpolatedResolution, value: value,
                                   label: String(format: "%.2f Å (%g)", estimate.interpolatedResolution, value), role: .corrected))
        }
        let figure = FSCFigure(title: "Map–model FSC", curves: curves, thresholds: [.init(constant: 0.5, name: "0.5"), .init(constant: 0.143, name: "0.143")],
                               crossings: crossings, maxFrequency: 1 / (2 * r.grid.voxelSize.max()))
        return PresentedFigure(name: "fsc_model", title: "Map–model FSC", caption: "FSC between the map and the model's map (electron scattering factors, the model's B-factors) on the map's grid: without a mask, inside a soft mask \(NiceTicks.format(r.parameters.fscMaskRadius, decimals: 1)) Å around the atoms, and, with half maps, against each half inside the same mask (the model refined against one half would fit it better than the other). The 0.5 crossing is mtriage's d_FSC_model.", figure: figure)
    }

    static func chains(_ r: ModelFitReport) -> [ResidueProfileFigure.Chain] {
        var out: [ResidueProfileFigure.Chain] = []
        for res in r.residues {
            if out.last?.id != res.id.chainID { out.append(.init(id: res.id.chainID, residues: [])) }
            out[out.count - 1].residues.append(res.id.number)
        }
        return out
    }

    static func qFigure(_ r: ModelFitReport) -> PresentedFigure {
        let refs = r.expectedQ.map { [ResidueProfileFigure.Reference(label: String(format: "expected at %.2f Å", r.resolution), value: $0)] } ?? []
        let figure = ResidueProfileFigure(title: "Q-score per residue", valueLabel: "Q-score", chains: chains(r),
                                          series: [.init(label: "Q-score", values: r.residues.map { $0.q ?? .nan })], references: refs,
                                          valueRange: -0.2...1)
        return PresentedFigure(name: "q_residues", title: "Q-score per residue", caption: String(format: "Q-score (Pintilie et al. 2020, σ = %.1f Å) of each residue's atoms, chains end to end; the dashed line is the Q expected at the map's resolution from the published relation to resolution. Gaps are residues with no scored atom.", r.qSigma), figure: figure)
    }

    static func bFigure(_ r: ModelFitReport) -> PresentedFigure {
        var series = [ResidueProfileFigure.Series(label: "atomic B (Å²)", values: r.residues.map(\.bFactor))]
        var caption = "Mean atomic B-factor of each residue, chains end to end"
        if r.residues.contains(where: { $0.localResolution != nil }) {
            series.append(.init(label: "local resolution (Å) × 10", values: r.residues.map { ($0.localResolution ?? .nan) * 10 }))
            caption += ", with the local resolution at the residue (mean over its atoms), scaled by 10 to share the axis"
        }
        let figure = ResidueProfileFigure(title: "B-factor per residue", valueLabel: "B (Å²)", chains: chains(r), series: series)
        return PresentedFigure(name: "b_residues", title: "B-factor per residue", caption: caption + ".", figure: figure)
    }

    static func inclusionFigure(_ r: ModelFitReport) -> PresentedFigure? {
        guard !r.inclusionCurve.isEmpty else { return nil }
        let figure = SharpeningScoreFigure(title: "Atom inclusion against contour level", parameterLabel: "Contour level (map value)",
                                           scoreLabel: "Atoms inside (fraction)", parameters: r.inclusionCurve.map { $0[0] },
                                           scores: r.inclusionCurve.map { $0[1] }, chosen: r.contour)
        return PresentedFigure(name: "atom_inclusion", title: "Atom inclusion", caption: String(format: "Fraction of the model's atoms (no hydrogens) whose interpolated map value reaches each contour level; the marked level (%.4g) is %@.", r.contour, r.contourSource), figure: figure)
    }

    static func numbersTable(_ r: ModelFitReport) -> ReportTable {
        func f(_ x: Double, _ d: Int = 3) -> String { x.isFinite ? String(format: "%.\(d)f", x) : "n/a" }
        var rows = [["Resolution used", "\(f(r.resolution, 2)) Å (\(r.resolutionSource))"],
                    ["CC_mask / CC_box", "\(f(r.correlations.mask)) / \(f(r.correlations.box))"],
                    ["CC_volume / CC_peaks", "\(f(r.correlations.volume)) / \(f(r.correlations.peaks))"],
                    ["d99 / d_model / d_model (B = 0)", "\(f(r.resolutions.d99, 2)) / \(f(r.resolutions.dModel, 2)) / \(f(r.resolutions.dModelB0, 2)) Å"],
                    ["Map–model FSC 0.5 / 0.143 (model mask)", "\(r.fscMasked.resolutionAtHalf.summary) / \(r.fscMasked.resolutionAtGoldStandard.summary)"],
                    ["Mean Q-score", f(r.meanQ) + (r.expectedQ.map { " (expected \(f($0)))" } ?? "")],
                    ["Atom inclusion", "\(f(100 * r.atomInclusion, 1)) % at \(String(format: "%.4g", r.contour))"],
                    ["Atoms", "\(r.placement.atoms) scored, \(f(100 * r.placement.insideFraction, 1)) % inside the box, \(r.unscoredAtoms) without a Q"]]
        for c in r.chains { rows.append(["Chain \(c.chainID)", "mean Q \(f(c.q)) over \(c.atoms) atoms"]) }
        return ReportTable(title: "Model fit", columns: [], rows: rows)
    }

    static func worstTable(_ r: ModelFitReport, count: Int) -> ReportTable {
        let rows = r.worstResidues(count).map { res in
            [res.id.chainID, "\(res.id.number)\(res.id.insertionCode)", res.id.name, String(format: "%.3f", res.q ?? .nan),
             String(format: "%.1f", res.bFactor), res.localResolution.map { String(format: "%.2f", $0) } ?? ""]
        }
        return ReportTable(title: "Residues with the lowest Q-score", columns: ["Chain", "Residue", "Name", "Q", "B (Å²)", "Local resolution (Å)"], rows: rows)
    }
}

import Foundation
import Figures
import FourierEngine
import MapModel
import Notebook
import Postprocessing
import Reports

/// The figures, tables and numbers that the `fsc` and `postprocess` cells share, built from a
/// `HalfMapFSCReport` (the postprocess cell passes its report's `fscReport`).
enum FSCPresentation {
    /// The resolution a criterion gives, as a number for references: RELION's shell
    /// resolution, printed with the interpolated crossing; "better than …" when the curve
    /// never crosses; the last shell with power when the curve becomes undefined first.
    static func quantity(_ e: ResolutionEstimate) -> Quantity {
        switch e.status {
        case .crossed: return Quantity(e.shellResolution, unit: "Å")
        case .neverCrosses: return Quantity(e.shellResolution, unit: "Å", text: String(format: "better than %.2f Å (Nyquist)", e.shellResolution),
                                           limit: .nyquist)
        case .belowFirstShell: return Quantity(.nan, unit: "Å", text: "worse than the lowest shell")
        case .dataEnds: return Quantity(e.shellResolution, unit: "Å", text: String(format: "%.2f Å (the maps' power ends)", e.shellResolution))
        }
    }

    /// "interpolated 4.49 Å" or the reason there is no crossing.
    static func detail(_ e: ResolutionEstimate) -> String {
        switch e.status {
        case .crossed: return String(format: "interpolated %.2f Å", e.interpolatedResolution)
        case .neverCrosses: return "never crosses before Nyquist"
        case .belowFirstShell: return "below the threshold from the first shell"
        case .dataEnds: return "above the threshold up to the last shell where both maps have power"
        }
    }

    static func threshold(_ t: ThresholdSetting, symmetryOrder: Int) -> FSCThreshold {
        switch t {
        case .fixed(let v): return .fixed(v)
        case .halfBit: return .halfBit(symmetryOrder: symmetryOrder)
        }
    }

    /// The FSC figure: RELION's four curves (or the one unmasked curve), the chosen thresholds
    /// and the final curve's crossings (and the unmasked curve's 0.143 crossing with a mask).
    static func figure(_ r: HalfMapFSCReport, thresholds: [ThresholdSetting], title: String) -> FSCFigure {
        var curves: [FSCFigure.Curve] = []
        if let masked = r.fscMasked {
            curves.append(.init(name: "unmasked", role: .unmasked, frequency: r.fscUnmasked.frequency, fsc: r.fscUnmasked.fsc))
            curves.append(.init(name: "masked", role: .masked, frequency: masked.frequency, fsc: masked.fsc))
            if let random = r.fscRandomizedMasked {
                curves.append(.init(name: "phase-randomised masked", role: .phaseRandomizedMasked, frequency: random.frequency, fsc: random.fsc))
            }
            curves.append(.init(name: r.fscRandomizedMasked != nil ? "corrected" : "masked (final)", role: .corrected,
                                frequency: r.fscCorrected.frequency, fsc: r.fscCorrected.fsc))
        } else {
            curves.append(.init(name: "unmasked (no mask)", role: .corrected, frequency: r.fscCorrected.frequency, fsc: r.fscCorrected.fsc))
        }
        var lines: [FSCFigure.Threshold] = []
        var crossings: [FSCFigure.Crossing] = []
        let final = r.fscCorrected
        let finalName = r.fscMasked == nil ? "unmasked" : (r.fscRandomizedMasked != nil ? "corrected" : "masked")
        for t in ordered(thresholds) {
            let criterion = threshold(t, symmetryOrder: r.parameters.symmetryOrder)
            switch t {
            case .fixed(let v): lines.append(.init(constant: v, name: criterion.name))
            case .halfBit:
                lines.append(.init(name: criterion.name, frequency: final.frequency,
                                   values: final.count.map { criterion.value(count: $0) }))
            }
            // The report's curves were read when it was made; one without a resolution has no crossing.
            if let e = try? final.resolution(at: criterion), e.status == .crossed {
                let value = criterion.value(count: final.count[min(e.lastShellAbove + 1, final.shellCount - 1)])
                let label = criterion.name == "0.143"
                    ? String(format: "%.2f Å (0.143, %@)", e.interpolatedResolution, finalName)
                    : String(format: "%.2f Å (%@)", e.interpolatedResolution, criterion.name)
                crossings.append(.init(frequency: 1 / e.interpolatedResolution, value: value, label: label, role: .corrected))
            }
        }
        if r.fscMasked != nil, r.resolutionUnmasked.status == .crossed {
            crossings.append(.init(frequency: 1 / r.resolutionUnmasked.interpolatedResolution, value: 0.143,
                                   label: String(format: "%.2f Å (0.143, unmasked)", r.resolutionUnmasked.interpolatedResolution), role: .unmasked))
        }
        let nyquist = 1 / (2 * r.grid.voxelSize.max())
        return FSCFigure(title: title, curves: curves, thresholds: lines, crossings: crossings, maxFrequency: nyquist)
    }

    /// 0.143 first, then the others in the order given, without repeats.
    static func ordered(_ t: [ThresholdSetting]) -> [ThresholdSetting] {
        var out: [ThresholdSetting] = [.fixed(0.143)]
        for x in t where !out.contains(x) { out.append(x) }
        return out
    }

    /// Box, voxel size, mask and randomisation: the facts needed to read an FSC (A7).
    static func caption(_ r: HalfMapFSCReport, maskDescription: String) -> String {
        let g = r.grid
        var parts = [String(format: "Box %d×%d×%d voxels of %.3f Å (Nyquist %.2f Å).", g.size.x, g.size.y, g.size.z, g.voxelSize.x, 2 * g.voxelSize.max())]
        parts.append("Mask: \(maskDescription).")
        if let s = r.randomizationShell, let d = r.randomizationResolution {
            parts.append(String(format: "Phases randomised beyond %.2f Å (shell %d); corrected = (masked − randomised) / (1 − randomised).", d, s))
        }
        parts.append("Resolutions at the crossings are interpolated linearly between shells; the top axis gives resolution in Å.")
        return parts.joined(separator: " ")
    }

    /// Every threshold crossing of the final and unmasked curves.
    static func crossingTable(_ r: HalfMapFSCReport, thresholds: [ThresholdSetting]) -> ReportTable {
        var rows: [[String]] = []
        func row(_ curve: String, _ e: ResolutionEstimate) -> [String] {
            switch e.status {
            case .crossed: return [e.criterion, curve, String(format: "%.2f Å", e.shellResolution), String(format: "%.2f Å", e.interpolatedResolution)]
            case .neverCrosses: return [e.criterion, curve, String(format: "better than %.2f Å", e.shellResolution), "does not cross"]
            case .belowFirstShell: return [e.criterion, curve, "—", "below from the first shell"]
            case .dataEnds: return [e.criterion, curve, String(format: "%.2f Å", e.shellResolution), "the maps' power ends there"]
            }
        }
        let finalName = r.fscMasked == nil ? "unmasked" : (r.fscRandomizedMasked != nil ? "corrected" : "masked")
        for t in ordered(thresholds) {
            let criterion = threshold(t, symmetryOrder: r.parameters.symmetryOrder)
            if let e = try? r.fscCorrected.resolution(at: criterion) {
                rows.append(row(finalName, e))
            } else {
                rows.append([criterion.name, finalName, "—", "undefined"])
            }
        }
        if r.fscMasked != nil { rows.append(row("unmasked", r.resolutionUnmasked)) }
        return ReportTable(title: "FSC crossings", columns: ["Threshold", "Curve", "Resolution (last shell above, as RELION)", "Interpolated crossing"],
                           rows: rows, note: "RELION reports the resolution of the last shell above the threshold; the interpolated crossing is where the curve meets the threshold between shells.")
    }

    /// At-a-glance rows for the resolutions.
    static func glance(_ r: HalfMapFSCReport, cell: String) -> [GlanceRow] {
        let finalName = r.fscMasked == nil ? "unmasked" : (r.fscRandomizedMasked != nil ? "corrected" : "masked")
        // The corrected (masked) 0.143 resolution is the headline; at each threshold a
        // corrected curve's row comes before an unmasked one's.
        let p = GlanceRow.Priority.resolution
        let unmaskedOnly = r.fscMasked == nil ? 1 : 0
        var rows = [GlanceRow("Resolution, FSC 0.143 (\(finalName))", quantity(r.resolution).formatted, detail(r.resolution) + " · \(cell)", priority: p + unmaskedOnly),
                    GlanceRow("Resolution, FSC 0.5 (\(finalName))", quantity(r.resolutionHalf).formatted, detail(r.resolutionHalf) + " · \(cell)", priority: p + 2 + unmaskedOnly),
                    GlanceRow("Resolution, half-bit (\(finalName))", quantity(r.resolutionHalfBit).formatted, detail(r.resolutionHalfBit) + " · \(cell)", priority: p + 4 + unmaskedOnly)]
        if r.fscMasked != nil {
            rows.append(GlanceRow("Resolution, FSC 0.143 (unmasked)", quantity(r.resolutionUnmasked).formatted, detail(r.resolutionUnmasked) + " · \(cell)", priority: p + 1))
        }
        return rows
    }

    /// Warnings from the run, plus a flag when the resolution is only limited by Nyquist or by
    /// where the half maps' power ends.
    static func flags(_ r: HalfMapFSCReport, cell: String) -> [String] {
        var f = r.warnings.map { "\(cell): \($0)" }
        if r.resolution.status == .neverCrosses {
            f.append("\(cell): the FSC stays above 0.143 up to Nyquist; the resolution is limited by the voxel size, not measured")
        }
        if r.resolution.status == .dataEnds {
            f.append(String(format: "%@: the FSC is undefined beyond %.2f Å, where a half map holds no power above rounding level (low-pass filtered half maps?); the resolution is where the data end, not measured", cell, r.resolution.shellResolution))
        }
        return f
    }

    /// The corrected curve in EMDB's format, the table of every curve, and the full report
    /// (`full`: the cell's whole report, such as post-processing's with its B-factor and
    /// Guinier plots; the FSC report when nil).
    static func dataFiles(_ r: HalfMapFSCReport, title: String, full: (any Encodable)? = nil) -> [DataFile] {
        var files = [DataFile(name: "fsc.xml", data: Data(EMDBFSCXML.document(r.fscCorrected, title: title).utf8), topLevelName: "fsc.xml"),
                     DataFile(name: "fsc.tsv", data: Data(FSCTable.text(r).utf8))]
        if let json = try? JSONOutput.encode(AnyEncodable(full ?? r)) { files.append(DataFile(name: "report.json", data: json)) }
        return files
    }

    /// The box as "96 × 96 × 96 voxels of 1.500 Å".
    static func box(_ g: VoxelGrid) -> String {
        let size = g.size.x == g.size.y && g.size.y == g.size.z ? "\(g.size.x)³" : "\(g.size.x) × \(g.size.y) × \(g.size.z)"
        return String(format: "%@ voxels of %.3f Å", size, g.voxelSize.x)
    }

    /// The at-a-glance row for the box.
    static func boxRow(_ g: VoxelGrid, cell: String) -> GlanceRow {
        GlanceRow("Box", box(g), String(format: "%.1f Å across · Nyquist %.2f Å · %@", g.boxLength.max(), 2 * g.voxelSize.max(), cell), priority: GlanceRow.Priority.grid)
    }
}

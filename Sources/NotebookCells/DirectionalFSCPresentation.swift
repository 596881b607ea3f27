import Foundation
import Figures
import FourierEngine
import Notebook
import Postprocessing

/// The figures, table and numbers of the directional FSC (`DirectionalFSCReport`), shown by
/// the `fsc` cell under its global curves.
enum DirectionalFSCPresentation {
    /// "θ 12°, φ 40°" for a direction.
    static func angles(_ d: DirectionalFSCReport.Direction) -> String {
        String(format: "θ %.0f°, φ %.0f°", d.polarAngle, d.azimuth)
    }

    /// The numbers later cells and markdown can refer to.
    static func numbers(_ r: DirectionalFSCReport) -> [String: Quantity] {
        ["directional_min": Quantity(r.spread.minimum, unit: "Å"), "directional_max": Quantity(r.spread.maximum, unit: "Å"),
         "directional_mean": Quantity(r.spread.mean, unit: "Å"), "directional_sd": Quantity(r.spread.standardDeviation, unit: "Å"),
         "sphericity": Quantity(r.sphericity, unit: "")]
    }

    /// The worst and best directions' curves and the mean of all, over the global curve of the
    /// same maps, with the 0.143 line and the three crossings.
    static func curvesFigure(_ r: DirectionalFSCReport) -> FSCFigure {
        let worst = r.directions[r.spread.worst], best = r.directions[r.spread.best]
        let c = r.curves
        let curves: [FSCFigure.Curve] = [
            .init(name: "global (same maps)", role: .context, frequency: c.global.frequency, fsc: c.global.fsc),
            .init(name: String(format: "worst direction (%@)", angles(worst)), role: .unmasked, frequency: c.global.frequency, fsc: c.curves[r.spread.worst].fsc),
            .init(name: "mean of \(c.curves.count) directions", role: .corrected, frequency: c.global.frequency, fsc: r.meanCurve.fsc),
            .init(name: String(format: "best direction (%@)", angles(best)), role: .masked, frequency: c.global.frequency, fsc: c.curves[r.spread.best].fsc),
        ]
        var crossings: [FSCFigure.Crossing] = []
        for (d, role, name) in [(worst, FSCFigure.Role.unmasked, "worst"), (best, .masked, "best")] where d.resolution.status == .crossed {
            crossings.append(.init(frequency: 1 / d.resolution.interpolatedResolution, value: 0.143,
                                   label: String(format: "%.2f Å (%@)", d.resolution.interpolatedResolution, name), role: role))
        }
        let nyquist = c.global.frequency.last ?? 0.5
        return FSCFigure(title: "Directional FSC", curves: curves, thresholds: [.init(constant: 0.143, name: "0.143")],
                         crossings: crossings, maxFrequency: nyquist)
    }

    /// The 0.143 resolution over directions.
    static func mapFigure(_ r: DirectionalFSCReport) -> DirectionalResolutionMapFigure {
        let field = DirectionField(directions: r.curves.directions, values: r.directions.map { $0.resolution.interpolatedResolution })
        return DirectionalResolutionMapFigure(title: "Resolution by direction", directions: r.curves.directions,
                                              resolution: { field.value($0) }, range: r.spread.minimum...max(r.spread.maximum, r.spread.minimum + 0.1))
    }

    /// What the figures show and how it was measured.
    static func caption(_ r: DirectionalFSCReport) -> String {
        let p = r.parameters
        return String(format: "FSC in %d cones of half-angle %.0f° around Fibonacci directions over the half sphere (3DFSC, Tan et al. 2017), of the %@ half maps; no phase-randomisation correction per cone. Below shell %d the cones hold fewer than %.0f coefficients and show the global curve. Resolutions are the interpolated 0.143 crossings.",
                      p.directionCount, p.coneHalfAngle, r.masked ? "masked" : "unmasked", r.firstShell, DirectionalFSCReport.minimumConeCoefficients)
    }

    /// Both figures.
    static func figures(_ r: DirectionalFSCReport) -> [PresentedFigure] {
        let caption = caption(r)
        let map = mapFigure(r)
        return [PresentedFigure(name: "fsc_directional", title: "Directional FSC curves", caption: caption, figure: curvesFigure(r)),
                PresentedFigure(name: "fsc_directions", title: "Resolution by direction",
                                caption: "Lambert equal-area projection of the half sphere (centre along z, rim the xy plane); colour: 0.143 resolution interpolated between the cone axes (dots). " + caption,
                                figure: map, data: ResolutionByDirection(r))]
    }

    /// The plotted data of the map: every direction's axis and resolution.
    struct ResolutionByDirection: Encodable {
        var directions: [DirectionalFSCReport.Direction]
        init(_ r: DirectionalFSCReport) { directions = r.directions }
    }

    /// The spread in a table.
    static func table(_ r: DirectionalFSCReport) -> ReportTable {
        let s = r.spread
        let rows = [["best (minimum)", String(format: "%.2f Å", s.minimum), angles(r.directions[s.best])],
                    ["worst (maximum)", String(format: "%.2f Å", s.maximum), angles(r.directions[s.worst])],
                    ["mean ± SD", String(format: "%.2f ± %.2f Å", s.mean, s.standardDeviation), "\(r.directions.count) directions"],
                    ["sphericity (FSC 0.5 surface)", String(format: "%.3f", r.sphericity), "1: isotropic"]]
        let note = r.boundedDirections > 0 ? "\(r.boundedDirections) directions reach Nyquist or the end of the data: their resolution is a bound." : nil
        return ReportTable(title: "Directional resolution", columns: ["Quantity", "Value", "Direction"], rows: rows, note: note)
    }

    /// At-a-glance rows.
    static func glance(_ r: DirectionalFSCReport, cell: String) -> [GlanceRow] {
        [GlanceRow("Directional resolution (0.143)", String(format: "%.2f–%.2f Å", r.spread.minimum, r.spread.maximum),
                   String(format: "mean %.2f Å · sphericity %.3f · %@", r.spread.mean, r.sphericity, cell), priority: GlanceRow.Priority.resolution + 6)]
    }
}

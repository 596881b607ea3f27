import Foundation
import MapModel
import MapbookCore
import Notebook
import Reports

/// The report's `chimerax/session.cxc` (a `ChimeraXSession`).
///
/// It opens the cells' maps where the report keeps them (maps/, or, with maps omitted, the
/// cache entries), each at its recommended contour level (`RecommendedContour`, from the
/// dataset's sequence when it has one; a mask at 0.5). The map shown is the deposition's
/// primary map, else the last map made that is not a mask; a plan without cell maps shows the
/// dataset's maps. A cell's `resolution_map` (local resolution) colours the shown surface, and
/// the dataset's model is copied beside the script and opened.
enum ReportChimeraX {
    /// Writes `chimerax/` into `bundle` for the report in `directory`; returns the files written.
    static func write(_ run: NotebookRun, maps: ReportMaps, directory: String, into bundle: ReportBundle) throws -> [String] {
        let plan = run.plan
        let folder = directory + "/chimerax"
        var written: [String] = []
        let colouringEntry = maps.cellMaps.first { $0.output == "resolution_map" }
        var opened = maps.cellMaps.filter { $0.output != "resolution_map" }
        if let d = plan.deposition, !opened.contains(where: { $0.reference == d.map.description }), let e = maps.entry(d.map.description) {
            opened.append(e)
        }
        if opened.isEmpty { opened = maps.datasetMaps }
        let shown = plan.deposition.flatMap { d in opened.lastIndex { $0.reference == d.map.description } }
            ?? opened.lastIndex { !isMask($0) } ?? 0
        let sequence = plan.dataset.sequence.flatMap { try? SequenceComposition.read(path: plan.resolvedPath($0)) }

        var sessionMaps: [ChimeraXSession.Map] = []
        for (i, e) in opened.enumerated() {
            sessionMaps.append(ChimeraXSession.Map(path: RelativePath.from(directory: folder, to: maps.location(e, reportDirectory: directory)),
                                                   name: e.reference, level: level(e, sequence: sequence), shown: i == shown))
        }
        var colouring: ChimeraXSession.Colouring?
        if let c = colouringEntry, let record = run.cells.first(where: { c.reference.hasPrefix($0.id + ".") }),
           let p5 = record.numbers["percentile5"]?.value, let p95 = record.numbers["percentile95"]?.value,
           let median = record.numbers["median"]?.value, [p5, p95, median].allSatisfy(\.isFinite) {
            colouring = ChimeraXSession.Colouring(path: RelativePath.from(directory: folder, to: maps.location(c, reportDirectory: directory)),
                                                  name: c.reference, palette: LocalResolutionPalette(percentile5: p5, percentile95: p95), median: median)
        }
        var model: String?
        if let m = plan.dataset.model {
            let name = "model_" + DepositionBundle.safeName(URL(fileURLWithPath: m).lastPathComponent)
            try bundle.copy("chimerax/" + name, from: plan.resolvedPath(m))
            written.append("chimerax/" + name)
            model = name
        }
        let session = ChimeraXSession(maps: sessionMaps, colouring: colouring, model: model,
                                      notes: ["mapbook: \(plan.title)", "Maps: \(plan.reportSettings.maps.rawValue) (report: maps:)"])
        try bundle.add("chimerax/session.cxc", Data(try session.script().utf8))
        return written + ["chimerax/session.cxc"]
    }

    /// Whether the map is a mask (an output called `mask` or `…_mask`), shown at 0.5.
    static func isMask(_ e: ReportMaps.Entry) -> Bool { e.output == "mask" || e.output.hasSuffix("_mask") }

    /// The contour level of a map: 0.5 for a mask, else the recommended level; nil when the
    /// file cannot be read (ChimeraX then picks its own).
    static func level(_ e: ReportMaps.Entry, sequence: SequenceComposition?) -> (value: Float, explanation: String)? {
        if isMask(e) { return (0.5, "half-way up the mask's edge") }
        guard let volume = try? MRCFile.read(path: e.source).volume else { return nil }
        let contour = RecommendedContour.of(volume, sequence: sequence)
        return (contour.level, contour.explanation)
    }
}

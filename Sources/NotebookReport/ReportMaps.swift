import Foundation
import Notebook

/// Where every map of a run is: its file (a dataset file or a cache entry) and, unless the plan
/// omits maps, its entry in the report's maps/ folder.
struct ReportMaps {
    /// A map of the run.
    struct Entry {
        /// The reference that names it ("postprocess.sharpened", "dataset.half_map_1").
        var reference: String
        /// The output's name ("sharpened", "half_map_1").
        var output: String
        /// The file holding it (absolute).
        var source: String
        /// Its path in the report (maps/…), nil when maps are omitted or it is a dataset file.
        var inReport: String?
    }

    /// The cells' maps in plan order (each cell's by output name), then the dataset's.
    var cellMaps: [Entry]
    /// The dataset's maps (half maps, full map, mask).
    var datasetMaps: [Entry]

    /// The entry for `reference`.
    func entry(_ reference: String) -> Entry? { (cellMaps + datasetMaps).first { $0.reference == reference } }

    /// The file where the report (or its scripts) find the map: the report's entry when there
    /// is one, else the source.
    func location(_ e: Entry, reportDirectory: String) -> String {
        e.inReport.map { reportDirectory + "/" + $0 } ?? e.source
    }

    /// Puts the run's cell maps into `bundle` as the plan's `report: maps:` says; returns
    /// where every map is and the report files written.
    static func place(_ run: NotebookRun, in bundle: ReportBundle) throws -> (ReportMaps, [String]) {
        let mode = run.plan.reportSettings.maps
        var cellMaps: [Entry] = []
        var written: [String] = []
        for record in run.cells {
            for (output, path) in record.mapFiles.sorted(by: { $0.key < $1.key }) {
                let name = "maps/\(record.id)_\(output).mrc"
                switch mode {
                case .copy: try bundle.link(name, to: path)
                case .link: try bundle.symlink(name, to: path)
                case .omit: break
                }
                if mode != .omit { written.append(name) }
                cellMaps.append(Entry(reference: "\(record.id).\(output)", output: output, source: path, inReport: mode == .omit ? nil : name))
            }
        }
        let plan = run.plan
        let datasetMaps = plan.dataset.outputs.filter { $0.type == .map }.compactMap { o -> Entry? in
            plan.dataset.path(of: o.name).map { Entry(reference: "dataset.\(o.name)", output: o.name, source: plan.resolvedPath($0), inReport: nil) }
        }
        return (ReportMaps(cellMaps: cellMaps, datasetMaps: datasetMaps), written)
    }
}

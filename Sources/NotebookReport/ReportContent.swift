import Foundation
import MapbookCore
import Figures
import Notebook

/// A finished run arranged for the writers: the at-a-glance rows, the flags, and one section
/// per plan cell with its figures already rendered to PNG. HTML, PDF and notebook writers all
/// read this, so the three formats say the same thing.
struct ReportContent {
    /// A figure with its files.
    struct FigureItem {
        /// File stem in figures/ and data/ ("postprocess_fsc").
        var stem: String
        var title: String
        var caption: String
        var figure: any Figure
        /// The PNG (embedded in HTML and the notebook).
        var png: Data
    }

    /// An analysis cell.
    struct CellItem {
        var record: CellRecord
        var summary: String?
        var figures: [FigureItem]
        var tables: [ReportTable]
        var flags: [String]
        /// Hints about the parameters, shown with the cell only.
        var notes: [String]
        /// Parameters as key, value text, in the kind's documented order.
        var parameters: [(key: String, value: String)]
        /// Bundle files belonging to the cell (relative paths).
        var files: [String]

        var statusText: String {
            switch record.status {
            case .executed: return String(format: "ran in %.2f s", record.wallSeconds)
            case .cached: return "from cache"
            case .failed: return "failed"
            case .skipped: return "skipped"
            }
        }
    }

    /// One section in plan order.
    enum Section {
        case markdown(String)
        case cell(CellItem)
    }

    var title: String
    var datasetName: String
    var generated: String
    var mapbookVersion: String
    var glance: [GlanceRow]
    /// One line per section that has a verdict, worst first (cell order within a level).
    var verdicts: [Verdict]
    var flags: [String]
    var sections: [Section]
    var provenance: Provenance
    var run: NotebookRun

    var cells: [CellItem] { sections.compactMap { if case .cell(let c) = $0 { return c } else { return nil } } }

    init(run: NotebookRun, pngs: [String: Data], generated: Date) {
        self.run = run
        let plan = run.plan
        title = plan.title
        datasetName = plan.datasetName
        self.generated = Self.humanDate(generated)
        mapbookVersion = run.provenance.mapbookVersion
        provenance = run.provenance

        let d = GlanceRow.Priority.dataset
        var glance: [GlanceRow] = [GlanceRow("Dataset", plan.datasetName, plan.dataset.halfMaps.map { "half maps " + $0.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") } ?? "", priority: d)]
        // A dataset of no maps (a benchmark table) has no symmetry to speak of, unless the plan gives one.
        if plan.dataset.symmetry != nil || plan.dataset.files.contains(where: { PlanDataset.mapFields.contains($0.field) }) {
            glance.append(GlanceRow("Symmetry", plan.dataset.symmetry ?? "C1", plan.dataset.symmetryOrder > 1 ? "order \(plan.dataset.symmetryOrder) (half-bit threshold)" : "", priority: d))
        }
        if let v = plan.dataset.voxelSize { glance.append(GlanceRow("Voxel size (override)", String(format: "%.4f Å", v), "from the plan, not the map headers", priority: d)) }
        // Flags with the level of their section's verdict, so the worst come first.
        var flags: [(text: String, level: Verdict.Level)] = []
        var verdicts: [Verdict] = []
        var seenGlance = Set<[String]>()
        var sections: [Section] = []
        for entry in run.entries {
            switch entry {
            case .markdown(let text):
                sections.append(.markdown(text))
            case .cell(let record):
                let p = record.presentation
                // The same fact from two cells (the box) is listed once.
                for row in p?.glance ?? [] where seenGlance.insert([row.label, row.value]).inserted {
                    glance.append(row)
                }
                let level = (p?.verdicts ?? []).map(\.level).max() ?? .pass
                flags += (p?.flags ?? []).map { ($0, level) }
                verdicts += record.verdicts
                if record.status == .failed { flags.append(("cell '\(record.id)' failed: \(record.message ?? "")", .fail)) }
                if record.status == .skipped { flags.append(("cell '\(record.id)' skipped: \(record.message ?? "")", .caution)) }
                let figures = (p?.figures ?? []).map { f -> FigureItem in
                    let stem = "\(record.id)_\(f.name)"
                    return FigureItem(stem: stem, title: f.title, caption: f.caption, figure: f.figure, png: pngs[stem] ?? Data())
                }
                var files = figures.flatMap { f in plan.reportSettings.figureFormats(f.figure.formats).map { "figures/\(f.stem).\($0.rawValue)" } + ["data/\(f.stem).json"] }
                files += (p?.dataFiles ?? []).map { "data/\(record.id)_\($0.name)" }
                files += record.mapFiles.keys.sorted().map { "maps/\(record.id)_\($0).mrc" }
                sections.append(.cell(CellItem(record: record, summary: p?.summary, figures: figures, tables: p?.tables ?? [],
                                               flags: p?.flags ?? [], notes: p?.notes ?? [], parameters: Self.parameters(record, plan: plan), files: files)))
            }
        }
        // Stable: within a priority, rows keep their cell order.
        self.glance = glance.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
        // Worst first; within a level, in the order of the plan.
        self.verdicts = Verdict.worstFirst(verdicts)
        self.flags = flags.enumerated().sorted { ($1.element.level, $0.offset) < ($0.element.level, $1.offset) }.map(\.element.text)
        self.sections = sections
    }

    /// The resolved parameters as text, in the order the kind documents its options.
    static func parameters(_ record: CellRecord, plan: Plan) -> [(key: String, value: String)] {
        guard case .object(let object)? = try? JSONPolicy.decode(JSONValue.self, from: record.parameters) else { return [] }
        let order = plan.cell(id: record.id).map { type(of: $0.cell).options.map(\.key) } ?? []
        let keys = object.keys.sorted { (order.firstIndex(of: $0) ?? 999, $0) < (order.firstIndex(of: $1) ?? 999, $1) }
        return keys.map { ($0, object[$0]!.text) }
    }

    static func humanDate(_ d: Date) -> String {
        UTCTime.string(d, .readable)
    }
}

import Foundation
import MapbookCore
import Notebook

/// The run as a Jupyter notebook (nbformat 4.5) that mirrors the plan: one markdown cell per
/// markdown cell, a setup cell, and one code cell per analysis cell whose outputs are its
/// summary (text), figures (images of the report's figures/ PNGs, by relative path) and tables
/// (HTML), or why it did not run (stderr).
///
/// The code is real (`NotebookPython`): executing the notebook re-runs each cell through
/// `mapbook run --cell`, reusing the cache, and shows the same outputs (`NotebookCellOutput`),
/// so "Run All" keeps every output and an edited parameter is recomputed.
enum JupyterNotebook {
    struct Document: Encodable {
        var cells: [Cell]
        var metadata: Metadata
        var nbformat = 4
        var nbformat_minor = 5
    }

    struct Metadata: Encodable {
        struct KernelSpec: Encodable { var display_name = "Python 3"; var language = "python"; var name = "python3" }
        struct LanguageInfo: Encodable { var name = "python" }
        struct Mapbook: Encodable { var version: String; var dataset: String; var generated: String; var plan: String }
        var kernelspec = KernelSpec()
        var language_info = LanguageInfo()
        var mapbook: Mapbook
        var title: String
    }

    struct Cell: Encodable {
        var cell_type: String
        var id: String
        var metadata: [String: [String]] = [:]
        var source: [String]
        var outputs: [Output]?
        var execution_count: Int?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cell_type, forKey: .cell_type)
            try c.encode(id, forKey: .id)
            try c.encode(metadata, forKey: .metadata)
            try c.encode(source, forKey: .source)
            if cell_type == "code" {
                try c.encode(outputs ?? [], forKey: .outputs)
                if let n = execution_count { try c.encode(n, forKey: .execution_count) } else { try c.encodeNil(forKey: .execution_count) }
            }
        }

        enum CodingKeys: String, CodingKey { case cell_type, id, metadata, source, outputs, execution_count }
    }

    enum Output: Encodable {
        case stream(name: String, text: [String])
        case display(data: [String: [String]], metadata: [String: [String: Int]])
        case error(name: String, value: String, traceback: [String])

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            switch self {
            case .stream(let name, let text):
                try c.encode("stream", forKey: .output_type)
                try c.encode(name, forKey: .name)
                try c.encode(text, forKey: .text)
            case .display(let data, let metadata):
                try c.encode("display_data", forKey: .output_type)
                try c.encode(data, forKey: .data)
                try c.encode(metadata, forKey: .metadata)
            case .error(let name, let value, let traceback):
                try c.encode("error", forKey: .output_type)
                try c.encode(name, forKey: .ename)
                try c.encode(value, forKey: .evalue)
                try c.encode(traceback, forKey: .traceback)
            }
        }

        enum Keys: String, CodingKey { case output_type, name, text, data, metadata, ename, evalue, traceback }
    }

    /// Splits text into the line list nbformat stores (each line keeps its newline but the last).
    static func lines(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "\n")
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter { !$0.isEmpty }
    }

    /// The outputs Jupyter shows for a cell: what `show_cell` displays from `output`.
    static func outputs(_ output: NotebookCellOutput) -> [Output] {
        var outputs: [Output] = [.stream(name: "stdout", text: lines(output.text))]
        if let e = output.error { outputs.append(.stream(name: "stderr", text: lines(e + "\n"))) }
        for figure in output.figures {
            outputs.append(.display(data: ["text/html": [figure.html], "text/plain": [figure.text]], metadata: [:]))
        }
        for t in output.tables { outputs.append(.display(data: ["text/html": lines(t.html), "text/plain": lines(t.plain)], metadata: [:])) }
        return outputs
    }

    /// The parameters a cell's code lists for editing: the declared parameters as the plan
    /// resolved them (text), in the kind's order.
    static func editableParameters(_ cell: ReportContent.CellItem, plan: Plan) -> [NotebookPython.Parameter] {
        guard let a = plan.cell(id: cell.record.id) else { return [] }
        let texts = a.cell.parameters.parameterTexts
        return type(of: a.cell).planParameters.compactMap { spec in
            texts[spec.key].map { NotebookPython.Parameter(key: spec.key, text: $0, isList: spec.isList) }
        }
    }

    /// The notebook's JSON; `setup` says where its code finds the plan, cache and mapbook.
    static func json(_ c: ReportContent, setup: NotebookPython.Setup) throws -> Data {
        var cells: [Cell] = []
        var header = "# \(markdownEscaped(c.title))\n\nDataset **\(markdownEscaped(c.datasetName))**, generated \(c.generated) by mapbook \(c.mapbookVersion) from `\(c.provenance.planPath)`.\n\n"
        if !c.verdicts.isEmpty {
            header += "| Verdict | | |\n|---|---|---|\n"
            for v in c.verdicts {
                header += "| \(tableEscaped(v.section)) | **\(v.level.rawValue.uppercased())** | \(tableEscaped(v.reason + (v.action.map { " → \($0)" } ?? ""))) |\n"
            }
            header += "\n"
        }
        header += "| At a glance | | |\n|---|---|---|\n"
        for row in c.glance { header += "| \(tableEscaped(row.label)) | **\(tableEscaped(row.value))** | \(tableEscaped(row.detail)) |\n" }
        if !c.flags.isEmpty { header += "\n**Flags**\n\n" + c.flags.map { "- \(markdownEscaped($0))" }.joined(separator: "\n") + "\n" }
        cells.append(Cell(cell_type: "markdown", id: "mapbook-header", source: lines(header)))
        var markdownCount = 0, executionCount = 1
        let parameters = Dictionary(uniqueKeysWithValues: c.cells.map { ($0.record.id, editableParameters($0, plan: c.run.plan)) })
        let setupText = setup.mapbookExecutable.map { "mapbook found: \($0); plan: \(setup.planRelative)\n" } ?? "mapbook not found when the report was written\n"
        cells.append(Cell(cell_type: "code", id: "mapbook-setup", source: lines(NotebookPython.setupSource(setup, parameters: parameters)),
                          outputs: [.stream(name: "stdout", text: lines(setupText))], execution_count: executionCount))
        for s in c.sections {
            switch s {
            case .markdown(let text):
                markdownCount += 1
                cells.append(Cell(cell_type: "markdown", id: "markdown-\(markdownCount)", source: lines(escapingRawHTML(text))))
            case .cell(let cell):
                let r = cell.record
                executionCount += 1
                let editable = parameters[r.id] ?? []
                let inputs = cell.parameters.filter { p in !editable.contains { $0.key == p.key } }
                let source = NotebookPython.cellSource(id: r.id, kind: r.kind, title: r.title, inputs: inputs, parameters: editable)
                let output = NotebookCellOutput(cell) { "figures/\($0).png" }
                cells.append(Cell(cell_type: "code", id: "cell-\(r.id)", source: lines(source),
                                  outputs: outputs(output), execution_count: executionCount))
            }
        }
        let doc = Document(cells: cells, metadata: Metadata(mapbook: .init(version: c.mapbookVersion, dataset: c.datasetName, generated: c.generated, plan: c.provenance.planPath), title: c.title))
        // Jupyter reads it: non-finite numbers as null, as in every report.
        return try JSONPolicy.encode(doc, pretty: true, nonFinite: .null) + Data("\n".utf8)
    }

    /// By scalar, as in the HTML report (`HTMLEscape`).
    static func escapeHTML(_ s: String) -> String { HTMLEscape.escape(s) }

    static func htmlTable(_ t: ReportTable) -> String {
        var s = "<table>\n<caption>\(escapeHTML(t.title))</caption>\n<thead><tr>" + t.columns.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows { s += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n" }
        s += "</tbody>\n</table>"
        if let n = t.note { s += "\n<p>\(escapeHTML(n))</p>" }
        return s
    }

    static func plainTable(_ t: ReportTable) -> String {
        ([t.title, t.columns.joined(separator: " | ")] + t.rows.map { $0.joined(separator: " | ") }).joined(separator: "\n")
    }

    static func markdownEscaped(_ s: String) -> String { escapingRawHTML(s.replacingOccurrences(of: "*", with: "\\*")) }
    static func tableEscaped(_ s: String) -> String { markdownEscaped(s).replacingOccurrences(of: "|", with: "\\|") }
}

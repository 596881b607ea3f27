import Foundation
import Figures
import MapbookCore
import Notebook

/// The self-contained HTML report: one file, inline CSS, figures as PNG data URIs, rendered
/// from mustache templates (built in, or from a `--template-dir`).
enum HTMLReport {
    /// The template names, in the order they are looked up.
    static let templateNames = ["report", "cell", "provenance", "slice_browser", "style"]

    /// The page.
    static func render(_ content: ReportContent, templateDirectory: String?) throws -> String {
        try HTMLTemplate.render(view(content), template: "report", from: templateNames.map(HTMLTemplate.report),
                                templateDirectory: templateDirectory)
    }

    /// The values the templates show. Plain dictionaries and arrays: mustache escapes every
    /// `{{value}}` (by scalar, `ReportContentType`), so text from the plan (titles, names,
    /// parameter values, messages) cannot inject markup. The two values the templates write
    /// unescaped (`{{{…}}}`) are made here: `html` (markdown through `MarkdownHTML`) and
    /// `dataURI` (a PNG in base64).
    static func view(_ c: ReportContent) -> [String: Any] {
        let p = c.provenance
        var sections: [[String: Any]] = []
        for s in c.sections {
            switch s {
            case .markdown(let text):
                sections.append(["isMarkdown": true, "html": MarkdownHTML.html(text)])
            case .cell(let cell):
                let r = cell.record
                let figures: [[String: Any]] = cell.figures.map { f in
                    ["title": f.title, "caption": f.caption,
                     "dataURI": "data:image/png;base64," + f.png.base64EncodedString(),
                     "width": Int(f.figure.size.width), "height": Int(f.figure.size.height),
                     "files": c.run.plan.reportSettings.figureFormats(f.figure.formats).map { ["label": $0.rawValue.uppercased(), "href": "figures/\(f.stem).\($0.rawValue)"] }
                        + [["label": "data", "href": "data/\(f.stem).json"]]]
                }
                let tables: [[String: Any]] = cell.tables.map { t in
                    ["title": t.title, "hasColumns": !t.columns.isEmpty, "columns": t.columns, "rows": t.rows.map { ["cells": $0] },
                     "hasNote": t.note != nil, "note": t.note ?? "", "collapsed": t.collapsed, "rowCount": t.rows.count]
                }
                sections.append([
                    "isAnalysis": true, "id": r.id, "anchor": "cell-\(r.id)", "title": r.title, "kind": r.kind,
                    "status": r.status.rawValue, "statusText": cell.statusText,
                    "hasMessage": r.message != nil, "message": r.message ?? "",
                    "hasSummary": cell.summary != nil, "summary": cell.summary ?? "",
                    "flags": cell.flags, "notes": cell.notes, "figures": figures, "tables": tables,
                    "parameters": cell.parameters.map { ["key": $0.key, "value": $0.value] },
                    "hasFiles": !cell.files.isEmpty, "files": cell.files,
                    "hasKey": r.key != nil, "key": r.key ?? "",
                ])
            }
        }
        let provenance: [String: Any] = [
            "version": p.mapbookVersion, "engineRevision": p.engineRevision,
            "commandLine": p.commandLine.map(shellQuoted).joined(separator: " "),
            "planPath": p.planPath, "planSHA256": p.planSHA256, "started": p.started, "host": p.host, "threads": p.threads,
            "wallSeconds": String(format: "%.2f", p.wallSeconds),
            "inputs": p.inputs.map { i in ["field": i.field, "path": i.path, "size": i.bytes.map(byteCount) ?? "—", "sha256": i.sha256 ?? (i.problem ?? "—")] },
            "cells": p.cells.map { cell in
                ["id": cell.id, "kind": cell.kind, "status": cell.status.rawValue,
                 "time": String(format: "%.2f s", cell.wallSeconds), "memory": cell.peakMemoryBytes.map { byteCount(Int64($0)) } ?? "—"]
            },
        ]
        var view: [String: Any] = [
            "title": c.title, "dataset": c.datasetName, "generated": c.generated, "version": c.mapbookVersion,
            "hasFlags": !c.flags.isEmpty, "flags": c.flags,
            "hasVerdicts": !c.verdicts.isEmpty,
            "verdicts": c.verdicts.map { v in
                ["section": v.section, "level": v.level.rawValue, "levelText": v.level.rawValue.uppercased(), "reason": v.reason,
                 "hasAction": v.action != nil, "action": v.action ?? ""] as [String: Any]
            },
            "glance": c.glance.map { ["label": $0.label, "value": $0.value, "detail": $0.detail] },
            "sections": sections,
        ]
        for (k, v) in sliceBrowser(c) { view[k] = v }
        for (k, v) in provenance where view[k] == nil { view[k] = v }
        view["cells"] = provenance["cells"]
        return view
    }

    /// The slice browser's values: the maps the cells' slice montages can browse (their rows'
    /// `SliceStack`s), each once, reduced to fit `SliceStack.reportBudgetBytes`; the bytes as
    /// base64, numbers as space-separated text (all escaped like any value).
    static func sliceBrowser(_ c: ReportContent) -> [String: Any] {
        let all = c.cells.flatMap { $0.figures.compactMap { $0.figure as? SliceMontageFigure }.flatMap { $0.rows.compactMap(\.stack) } }
        let stacks = SliceStack.withinBudget(all)
        let encoded = stacks.map { $0.bytes.base64EncodedString() }
        func text(_ v: [Double]) -> String { v.map { String(format: "%.6g", $0) }.joined(separator: " ") }
        return [
            "hasSliceBrowser": !stacks.isEmpty,
            "voxelLimit": stacks.map { $0.size.x * $0.size.y * $0.size.z }.max().map { "\($0)" } ?? "0",
            "embeddedSize": byteCount(Int64(encoded.reduce(0) { $0 + $1.utf8.count })),
            "budget": byteCount(Int64(SliceStack.reportBudgetBytes)),
            "sliceStacks": zip(stacks, encoded).map { s, b in
                ["label": s.label, "size": "\(s.size.x) \(s.size.y) \(s.size.z)", "voxel": text([s.voxelSize.x, s.voxelSize.y, s.voxelSize.z]),
                 "range": text([s.lower, s.upper]), "bytes": b]
            },
        ]
    }

    /// "3.5 MB".
    static func byteCount(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(n), i = 0
        while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[i])
    }

    /// An argument as a shell would need it.
    static func shellQuoted(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

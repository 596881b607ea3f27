import Foundation
import Notebook
import NotebookReport

extension FacilityIndex {
    /// The templates of the page: templates/index.mustache and templates/index_style.css, and
    /// the report's style sheet, which the page shares so the index looks like its reports.
    static let templates = ["index", "index_style"].map { name in
        HTMLTemplate(name: name, file: name == "index" ? "index.mustache" : "index_style.css", builtIn: IndexTemplates.builtIn[name]!)
    } + [HTMLTemplate.style]

    /// The page: one self-contained HTML file. Without JavaScript the table is in manifest
    /// order; with it, clicking (or Enter on) a header sorts by that column, again to reverse.
    /// Templates in `templateDirectory` (index.mustache, index_style.css, style.css) replace the
    /// built-in ones; every value is HTML-escaped by the report's rules.
    public func html(templateDirectory: String?) throws -> String {
        try HTMLTemplate.render(view(), template: "index", from: Self.templates, templateDirectory: templateDirectory)
    }

    /// The page from the built-in templates (which parse and render: the index tests use them).
    public func html() -> String {
        do { return try html(templateDirectory: nil) } catch { preconditionFailure("the built-in index templates fail: \(error)") }
    }

    /// The values the templates show: plain text, escaped by the template engine; the
    /// addresses (report links, images) are checked by `reportHref` first.
    func view() -> [String: Any] {
        // A column no dataset's cells fill (a model fit's, in a facility without models) is
        // left off the page; index.csv and index.json keep every column, so scripts see one layout.
        let columns = Self.columns.filter { c in datasets.contains { $0[c].cell != nil } }
        func cell(_ v: Value, _ column: IndexColumn.Column) -> [String: Any] {
            // Grey for what is no number or words of its own ("n/a", "failed" in a numeric column).
            let cls = v.isMissing || (column.isNumeric && v.value == nil) ? "none" : (column.isNumeric ? "num" : "")
            return ["sort": column.isNumeric ? v.value.map { String(format: "%.6f", $0) } ?? "" : v.display,
                    "hasClass": !cls.isEmpty, "class": cls, "display": v.display,
                    "hasLimit": v.limit != nil, "limit": v.limit?.rawValue ?? ""]
        }
        let rows: [[String: Any]] = datasets.map { r in
            let href = r.report.flatMap(reportHref)
            let thumbnail = r.thumbnail.flatMap { SafeURL.checked($0, for: .image) }
            let s = r.severity
            // Only the levels that occur are shown; the sort key weighs fails over cautions over flags.
            let counts = [("fail", s.fail, "fail"), ("caution", s.caution, "caution"), ("pass", s.pass, "pass"),
                          ("flag-count", s.flags, s.flags == 1 ? "flag" : "flags")]
                .filter { $0.1 > 0 }.map { ["level": $0.0, "count": $0.1, "text": "\($0.1) \($0.2)"] }
            var classes = ["state-" + String(r.state.prefix { $0.isLetter || $0 == "_" })]
            if r.isFailed { classes.append("failed") }
            return ["dataset": r.dataset, "hasReport": href != nil, "href": href ?? "",
                    "rowClass": classes.joined(separator: " "),
                    "state": r.state, "stateText": r.state.replacingOccurrences(of: "_", with: " "),
                    "hasMessage": r.message != nil, "message": r.message ?? "", "reportIsPrevious": r.reportIsPrevious,
                    "hasThumbnail": thumbnail != nil, "thumbnail": thumbnail ?? "",
                    "date": r.date ?? "", "pixelSize": r.grid.map { String(format: "%.3f", $0.voxelSize) } ?? "",
                    "boxSort": r.grid.map { "\($0.box.max() ?? 0)" } ?? "", "box": r.grid?.boxText ?? "", "symmetry": r.symmetry ?? "",
                    "cells": columns.map { cell(r[$0], $0) },
                    "severitySort": s.sortKey, "counts": counts, "hasFindings": !counts.isEmpty,
                    "hasDetails": !r.verdicts.isEmpty || !r.flags.isEmpty,
                    "verdicts": r.verdicts.map { v in ["level": v.level.rawValue, "section": v.section, "reason": v.reason,
                                                       "hasAction": v.action != nil, "action": v.action ?? ""] },
                    "hasFlags": !r.flags.isEmpty, "flags": r.flags]
        }
        let counts = Dictionary(grouping: datasets, by: \.state).map { "\($0.value.count) \($0.key.replacingOccurrences(of: "_", with: " "))" }.sorted()
        let failed = datasets.filter(\.isFailed).count
        let overlayImage = overlay.flatMap { SafeURL.checked($0, for: .image) }
        return ["count": datasets.count, "counts": counts.joined(separator: ", "), "manifest": manifest, "generated": generated,
                "version": mapbookVersion, "columns": columns.map { ["header": $0.header] }, "rows": rows,
                "failedCount": failed, "hasFailed": failed > 0,
                "hasOverlay": overlayImage != nil, "overlay": overlayImage ?? "",
                "overlayStem": Self.filesFolder + "/" + Self.overlayStem]
    }

    /// The `href` of a report path: a relative address (`./` in front when its first segment
    /// would read as a scheme, or a leading slash as a root or another host), checked; nil
    /// when even that is refused. The template escapes it.
    func reportHref(_ path: String) -> String? {
        let head = path.prefix { $0 != "/" && $0 != "\\" }
        let relative = head.contains(":") || path.hasPrefix("/") || path.hasPrefix("\\") ? "./" + path : path
        return SafeURL.checked(relative, for: .link)
    }
}

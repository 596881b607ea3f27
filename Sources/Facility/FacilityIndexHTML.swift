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

    /// The values the templates show: plain text, escaped by the template engine; the one
    /// address (a report link) is checked by `reportHref` first.
    func view() -> [String: Any] {
        // A column no dataset's cells fill (a model fit's, in a facility without models) is
        // left off the page; index.csv and index.json keep every column, so scripts see one layout.
        let columns = Self.columns.filter { c in datasets.contains { $0[c].cell != nil } }
        func cell(_ v: Value, _ column: IndexColumn.Column) -> [String: Any] {
            let cls = v.value == nil ? "none" : (column.isNumeric ? "num" : "")
            return ["sort": column.isNumeric ? v.value.map { String(format: "%.6f", $0) } ?? "" : v.display,
                    "hasClass": !cls.isEmpty, "class": cls, "display": v.display]
        }
        let rows: [[String: Any]] = datasets.map { r in
            let href = r.report.flatMap(reportHref)
            return ["dataset": r.dataset, "hasReport": href != nil, "href": href ?? "",
                    "state": r.state, "stateText": r.state.replacingOccurrences(of: "_", with: " "),
                    // The class names the state's leading word only ("interrupted (cancelled)" → interrupted).
                    "stateClass": String(r.state.prefix { $0.isLetter || $0 == "_" }),
                    "hasMessage": r.message != nil, "message": r.message ?? "", "reportIsPrevious": r.reportIsPrevious,
                    "cells": columns.map { cell(r[$0], $0) },
                    "hasFlags": !r.flags.isEmpty, "flagCount": r.flags.count, "flagsTitle": r.flags.joined(separator: "\n"), "flags": r.flags]
        }
        let counts = Dictionary(grouping: datasets, by: \.state).map { "\($0.value.count) \($0.key.replacingOccurrences(of: "_", with: " "))" }.sorted()
        return ["count": datasets.count, "counts": counts.joined(separator: ", "), "manifest": manifest, "generated": generated,
                "version": mapbookVersion, "columns": columns.map { ["header": $0.header] }, "rows": rows]
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

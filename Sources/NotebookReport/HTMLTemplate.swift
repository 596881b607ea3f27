import Foundation
import MapbookCore
import Mustache

/// A mustache template of an HTML page mapbook writes (the report, the facility index): built
/// in, or replaced by a file of the same name in a template folder. Every page renders through
/// `render`, so every page escapes `{{value}}` the same way (`ReportContentType`).
public struct HTMLTemplate: Sendable {
    /// The name partials use (`{{> style}}`).
    public var name: String
    /// The file that replaces it in a template folder ("style.css", "report.mustache").
    public var file: String
    /// The built-in text.
    public var builtIn: String

    /// A template.
    public init(name: String, file: String, builtIn: String) { self.name = name; self.file = file; self.builtIn = builtIn }

    /// The report's style sheet, which other pages include to look like the reports.
    public static let style = report("style")

    /// A built-in template of the report.
    static func report(_ name: String) -> HTMLTemplate {
        HTMLTemplate(name: name, file: name == "style" ? "style.css" : "\(name).mustache", builtIn: HTMLTemplates.builtIn[name]!)
    }

    /// The templates, each replaced by its file in `directory` when that file exists.
    static func library(_ templates: [HTMLTemplate], templateDirectory directory: String?) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for template in templates {
            var text = template.builtIn
            if let directory {
                let file = directory + "/" + template.file
                if FileManager.default.fileExists(atPath: file) {
                    guard let s = try? String(contentsOfFile: file, encoding: .utf8) else {
                        throw MapbookError("cannot read the template", path: file)
                    }
                    text = s
                }
            }
            // Every template escapes `{{value}}` by Unicode scalar (see ReportContentType).
            _ = ReportContentType.registered
            do { try library.register(ReportContentType.pragma + text, named: template.name) }
            catch { throw MapbookError("the template does not parse: \(error)", path: directory.map { $0 + "/\(template.name)" } ?? template.name) }
        }
        return library
    }

    /// Renders the template named `name` of `templates` with `view` (plain dictionaries, arrays,
    /// strings, numbers and booleans). Every `{{value}}` is HTML-escaped by Unicode scalar; a
    /// template's `{{{value}}}` is not, so give it only HTML made safe before.
    public static func render(_ view: [String: Any], template name: String, from templates: [HTMLTemplate],
                              templateDirectory: String?) throws -> String {
        let library = try library(templates, templateDirectory: templateDirectory)
        guard let html = library.render(view, withTemplate: name) else {
            throw MapbookError("the \(name) template could not be rendered")
        }
        return html
    }
}

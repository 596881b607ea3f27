import Mustache

/// The escaping of `{{value}}` in the report templates: `HTMLEscape`, by Unicode scalar.
///
/// swift-mustache's built-in HTML escaping compares `Character`s and so misses a quote that
/// carries a combining mark, which a plan title could use to leave an attribute. Every template
/// the report registers starts with `{{% CONTENT_TYPE: MAPBOOK_HTML }}` to switch to this one.
struct ReportContentType: MustacheContentType {
    /// The name the templates' pragma uses.
    static let name = "MAPBOOK_HTML"

    /// The pragma line put in front of every template (a standalone tag: it leaves no output).
    static let pragma = "{{% CONTENT_TYPE: \(name) }}\n"

    /// Registers the content type once per process, before the first template is parsed.
    static let registered: Void = MustacheContentTypes.register(ReportContentType(), named: name)

    func escapeText(_ text: String) -> String { HTMLEscape.escape(text) }
}

import Foundation

/// Loading a page in headless Chromium to see whether anything in it runs: payloads mark the
/// root element (`data-pwned`), and a probe script fires the events they listen for and
/// records what a script could still hook into.
public enum BrowserProbe {
    /// Headless Chromium's path, when installed.
    public static let chromium: String? = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]
        .lazy.compactMap { name in ExternalTool.run("which", [name]).flatMap { $0.status == 0 ? $0.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil } }
        .first

    /// Whether Chromium is there; prints why a test is skipped when not.
    public static var available: Bool {
        if chromium == nil { print("skipping: no headless Chromium (apt-get install chromium-headless-shell)") }
        return chromium != nil
    }

    /// JavaScript that marks the page with `tag`.
    public static func mark(_ tag: String) -> String { "document.documentElement.setAttribute('data-pwned','\(tag)')" }

    /// Put in place of `</body>`: fires mouseover, mouseenter, focus, error, load and
    /// animationstart at every element, then writes on `<body data-probe>` the handler
    /// attributes, links whose protocol is not http(s) or file, images not from a relative
    /// path (PNG data URIs inside `<figure>` excepted), other scripts and embedding elements.
    public static let probe = """
    <script id="probe">
    (function () {
      var all = document.querySelectorAll("*"), handlers = [], links = [], images = [];
      ["mouseover", "mouseenter", "focus", "error", "load", "animationstart"].forEach(function (type) {
        Array.prototype.forEach.call(all, function (e) { e.dispatchEvent(new Event(type)); });
      });
      Array.prototype.forEach.call(all, function (e) {
        Array.prototype.forEach.call(e.attributes, function (a) { if (/^on/i.test(a.name)) handlers.push(e.tagName + "." + a.name); });
      });
      Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
        if (["http:", "https:", "file:"].indexOf(a.protocol) < 0) links.push(a.protocol);
      });
      Array.prototype.forEach.call(document.querySelectorAll("img"), function (i) {
        var figure = i.closest("figure") && i.src.indexOf("data:image/png;base64,") === 0;
        if (!figure && new URL(i.src).protocol !== "file:") images.push(i.src.slice(0, 20));
      });
      var scripts = document.querySelectorAll("script:not(#probe)").length;
      var embeds = document.querySelectorAll("iframe, object, embed, svg, frame, base, form").length;
      document.body.setAttribute("data-probe", "handlers=" + handlers.join(",") + ";links=" + links.join(",") +
        ";images=" + images.join(",") + ";scripts=" + scripts + ";embeds=" + embeds);
    })();
    </script></body>
    """

    /// What the probe writes on a clean page holding `scripts` scripts of its own.
    public static func clean(scripts: Int) -> String { "data-probe=\"handlers=;links=;images=;scripts=\(scripts);embeds=0\"" }

    /// The DOM of the HTML file at `page` after loading (images included), as Chromium
    /// serialises it; "" when Chromium is missing or printed nothing.
    public static func dumpDOM(_ page: String) -> String {
        guard let chromium else { return "" }
        return ExternalTool.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
                                           "--dump-dom", "file://" + page])?.stdout ?? ""
    }

    /// The DOM of `html` with the probe run, from a copy written to `copy`.
    public static func probedDOM(_ html: String, copy: String) throws -> String {
        try Data(html.replacingOccurrences(of: "</body>", with: probe).utf8).write(to: URL(fileURLWithPath: copy))
        return dumpDOM(copy)
    }

    /// The mark a payload that ran left on the root element, or nil (the payloads themselves
    /// are on the page as text).
    public static func ranPayload(_ dom: String) -> String? {
        guard let root = dom.firstMatch(of: #/<html[^>]*>/#) else { return "(no <html> element)" }
        return root.output.firstMatch(of: #/data-pwned="([^"]*)"/#).map { String($0.output.1) }
    }
}

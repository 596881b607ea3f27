import Foundation
import NotebookReport

extension FacilityIndex {
    /// The page: one self-contained HTML file. Without JavaScript the table is in manifest
    /// order; with it, clicking (or Enter on) a header sorts by that column, again to reverse.
    public func html() -> String {
        // By Unicode scalar: a quote with a combining mark must not end an attribute.
        func esc(_ s: String) -> String { HTMLEscape.escape(s) }
        func cell(_ v: Value, numeric: Bool = true) -> String {
            let key = v.value.map { String(format: "%.6f", $0) } ?? ""
            let cls = v.value == nil ? " class=\"none\"" : (numeric ? " class=\"num\"" : "")
            return "<td data-sort=\"\(esc(numeric ? key : v.display))\"\(cls)>\(esc(v.display))</td>"
        }
        var rows: [String] = []
        for r in datasets {
            // The report is a relative path the index made; checked anyway, as the row is public
            // and a name like `javascript:…//` would otherwise be a script address.
            let name = r.report.flatMap { reportHref($0) }.map { "<a href=\"\($0)\">\(esc(r.dataset))</a>" } ?? esc(r.dataset)
            var state = esc(r.state.replacingOccurrences(of: "_", with: " "))
            if r.reportIsPrevious { state += " <span class=\"note\">(previous report shown)</span>" }
            let flags = r.flags.isEmpty ? "<td data-sort=\"0\" class=\"num\">0</td>"
                : "<td data-sort=\"\(r.flags.count)\" class=\"num flagged\" title=\"\(esc(r.flags.joined(separator: "\n")))\">\(r.flags.count)<ul>"
                  + r.flags.map { "<li>\(esc($0))</li>" }.joined() + "</ul></td>"
            rows.append("<tr class=\"state-\(esc(String(r.state.prefix { $0.isLetter || $0 == "_" })))\"><td data-sort=\"\(esc(r.dataset))\">\(name)</td>"
                        + "<td data-sort=\"\(esc(r.state))\"\(r.message.map { " title=\"\(esc($0))\"" } ?? "")>\(state)</td>"
                        + cell(r.fscResolution) + cell(r.bfactor) + cell(r.localResolutionMedian) + cell(r.sharpening, numeric: false)
                        + cell(r.densityModificationGain) + flags + "</tr>")
        }
        let counts = Dictionary(grouping: datasets, by: \.state).map { "\($0.value.count) \($0.key.replacingOccurrences(of: "_", with: " "))" }.sorted()
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>mapbook facility index</title>
        <style>
        body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;font-size:0.95em}
        th,td{border-bottom:1px solid #ddd;padding:0.35em 0.7em;text-align:left;vertical-align:top}
        th{background:#f3f3f3;white-space:nowrap}
        th.sortable{cursor:pointer}
        th[aria-sort=ascending]::after{content:" \\25B2"}
        th[aria-sort=descending]::after{content:" \\25BC"}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.none{color:#888}
        td.flagged{color:#a33}
        td ul{margin:0.2em 0 0 1em;padding:0;font-size:0.85em;color:#555;text-align:left}
        tr.state-failed td,tr.state-running td,tr.state-interrupted td,tr.state-missing td{background:#fff3f0}
        .note{color:#888;font-size:0.85em}
        </style></head>
        <body>
        <h1>Facility index</h1>
        <p>\(datasets.count) datasets (\(esc(counts.joined(separator: ", ")))) from <code>\(esc(manifest))</code>; generated \(esc(generated)) by mapbook \(esc(mapbookVersion)).
        The same numbers are in <a href="index.csv">index.csv</a> and <a href="index.json">index.json</a>.<span id="sort-hint"> Sorting by column needs JavaScript; rows are in manifest order.</span></p>
        <table id="datasets">
        <thead><tr><th>Dataset</th><th>State</th><th>FSC resolution</th><th>B (Å²)</th><th>Local resolution (median)</th><th>Sharpening</th><th>DM gain</th><th>Flags</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody>
        </table>
        <script>
        (function () {
          var table = document.getElementById("datasets");
          if (!table || !table.tHead || !table.tBodies.length || !Array.prototype.forEach) return;
          var hint = document.getElementById("sort-hint");
          if (hint) hint.textContent = " Click a column header to sort.";
          var heads = table.tHead.rows[0].cells;
          function key(row, i) {
            var v = row.cells[i].getAttribute("data-sort") || "";
            var n = parseFloat(v);
            return { empty: v === "", num: isNaN(n) ? null : n, text: v.toLowerCase() };
          }
          function sortBy(i) {
            var th = heads[i];
            var asc = th.getAttribute("aria-sort") !== "ascending";
            for (var j = 0; j < heads.length; j++) heads[j].removeAttribute("aria-sort");
            th.setAttribute("aria-sort", asc ? "ascending" : "descending");
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = key(a, i), y = key(b, i);
              if (x.empty !== y.empty) return x.empty ? 1 : -1;   // empty cells last, either way
              var c = (x.num !== null && y.num !== null) ? x.num - y.num : (x.text < y.text ? -1 : x.text > y.text ? 1 : 0);
              return asc ? c : -c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          }
          Array.prototype.forEach.call(heads, function (th, i) {
            th.className += " sortable";
            th.tabIndex = 0;
            th.setAttribute("role", "button");
            th.addEventListener("click", function () { sortBy(i); });
            th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(i); } });
          });
        })();
        </script>
        </body></html>

        """
    }

    /// The `href` of a report path: a relative address (`./` in front when its first segment
    /// would read as a scheme, or a leading slash as a root or another host), checked and
    /// escaped; nil when even that is refused.
    func reportHref(_ path: String) -> String? {
        let head = path.prefix { $0 != "/" && $0 != "\\" }
        let relative = head.contains(":") || path.hasPrefix("/") || path.hasPrefix("\\") ? "./" + path : path
        return SafeURL.attribute(relative, for: .link)
    }
}

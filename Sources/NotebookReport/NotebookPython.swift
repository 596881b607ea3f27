import Foundation
import MapbookCore

/// The Python source of report.ipynb's code cells.
///
/// The first code cell finds mapbook and defines `show_cell`; each analysis cell then calls
/// `show_cell("<id>", {<parameters>})`. `show_cell` runs `mapbook run <plan> --cell <id>`
/// (with the edited parameters, if any, as overrides), which takes every unchanged cell from
/// the report's cache and rewrites `notebook/<id>/cell.json`, then displays that file's
/// outputs. Without mapbook it displays the outputs stored with the report, so executing the
/// notebook never loses one.
///
/// Everything from the plan enters the source as a JSON string literal (valid Python) or as a
/// comment with every line break removed, so no plan text can become code.
enum NotebookPython {
    /// Where the notebook's run finds its plan, cache and mapbook.
    struct Setup {
        /// The plan, relative to the report folder when both share a parent, else absolute.
        var planRelative: String
        /// The plan's absolute path.
        var planAbsolute: String
        /// The cache folder, relative to the report folder when inside it, else absolute.
        var cache: String
        /// The mapbook executable that wrote the report, when known.
        var mapbookExecutable: String?
        /// mapbook's version.
        var mapbookVersion: String
    }

    /// A parameter a code cell lists for editing.
    struct Parameter {
        /// Its key.
        var key: String
        /// Its value as written in a plan (a list's elements joined by ", ").
        var text: String
        /// Whether it takes a list (shown as a Python list).
        var isList: Bool

        /// The value as a Python literal: a plain number or true/false as such, a list as a
        /// list, anything else as text (the overrides turn each back into a written value).
        var python: String {
            guard isList else { return NotebookPython.value(text) }
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return "[" + items.map(NotebookPython.value).joined(separator: ", ") + "]"
        }
    }

    /// The setup cell: constants, the finder and `show_cell`. `parameters` are every analysis
    /// cell's parameters as the plan wrote them, by cell id (the baseline edits compare with).
    static func setupSource(_ setup: Setup, parameters: [String: [Parameter]]) -> String {
        var lines = [
            "# mapbook: this notebook re-runs its report's plan. Run All re-executes every cell; cells whose",
            "# inputs and parameters are unchanged come from the report's cache, so that takes seconds.",
            "# Edit a cell's parameters and run it: mapbook recomputes that cell (and, when you run them,",
            "# the cells that use it); the plan file is not changed.",
            "# If mapbook is not found, set the MAPBOOK environment variable to its path (or put it on PATH).",
            "import json, os, shutil, subprocess, sys, tempfile",
            "from IPython.display import display",
            "",
            "MAPBOOK_PLAN = \(literal(setup.planRelative))  # relative to this notebook's folder",
            "MAPBOOK_PLAN_ABSOLUTE = \(literal(setup.planAbsolute))",
            "MAPBOOK_CACHE = \(literal(setup.cache))",
            "MAPBOOK_RECORDED = \(setup.mapbookExecutable.map(literal) ?? "None")",
            "MAPBOOK_VERSION = \(literal(setup.mapbookVersion))",
        ]
        var table = "{"
        for (id, pairs) in parameters.sorted(by: { $0.key < $1.key }) {
            table += "\n    \(literal(id)): {" + pairs.map { "\(literal($0.key)): \($0.python)" }.joined(separator: ", ") + "},"
        }
        lines.append("MAPBOOK_PARAMETERS = \(table)\n}")
        lines += pythonHelpers
        return lines.joined(separator: "\n")
    }

    /// The source of analysis cell `id`'s code cell.
    /// `inputs` (the maps and values it reads, fixed by the plan) are listed as comments.
    static func cellSource(id: String, kind: String, title: String, inputs: [(key: String, value: String)], parameters: [Parameter]) -> String {
        var lines = ["# \(comment(title)) (cell \(comment(id)), kind \(comment(kind)))."]
        if !inputs.isEmpty {
            lines.append("# Reads (set in the plan): " + inputs.map { "\(comment($0.key)): \(comment($0.value))" }.joined(separator: "; "))
        }
        lines.append(parameters.isEmpty ? "# This cell has no parameters to edit." : "# Edit a value and run the cell to recompute it with mapbook.")
        if parameters.isEmpty {
            lines.append("show_cell(\(literal(id)), {})")
        } else {
            lines.append("show_cell(\(literal(id)), {")
            lines += parameters.map { "    \(literal($0.key)): \($0.python)," }
            lines.append("})")
        }
        return lines.joined(separator: "\n")
    }

    /// The finder and `show_cell`, fixed text.
    static let pythonHelpers = #"""

    def _find_mapbook():
        for candidate in (os.environ.get("MAPBOOK"), MAPBOOK_RECORDED, shutil.which("mapbook")):
            if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
        return None

    def _plan():
        return MAPBOOK_PLAN if os.path.isfile(MAPBOOK_PLAN) else MAPBOOK_PLAN_ABSOLUTE

    _EDITS = {}

    def _display(path):
        with open(path, encoding="utf-8") as f:
            out = json.load(f)
        sys.stdout.write(out["text"])
        sys.stdout.flush()
        if out.get("error"):
            sys.stderr.write(out["error"] + "\n")
            sys.stderr.flush()
        for fig in out["figures"]:
            display({"text/html": fig["html"], "text/plain": fig["text"]}, raw=True)
        for table in out["tables"]:
            display({"text/html": table["html"], "text/plain": table["plain"]}, raw=True)

    def show_cell(cell_id, parameters):
        """Recomputes (or takes from the cache) one cell of the plan with mapbook, and shows it."""
        written = MAPBOOK_PARAMETERS.get(cell_id, {})
        edits = {k: v for k, v in parameters.items() if k not in written or written[k] != v}
        if edits:
            _EDITS[cell_id] = edits
        else:
            _EDITS.pop(cell_id, None)
        stored = os.path.join("notebook", cell_id, "cell.json")
        if MAPBOOK is None:
            if _EDITS:
                raise RuntimeError("mapbook was not found, so edited parameters cannot be recomputed; set MAPBOOK=/path/to/mapbook and run the first cell again")
            return _display(stored)
        args = [MAPBOOK, "run", _plan(), "--output", ".", "--cache", MAPBOOK_CACHE, "--cell", cell_id, "--quiet"]
        overrides = None
        if _EDITS:
            overrides = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
            json.dump(_EDITS, overrides)
            overrides.close()
            args += ["--overrides", overrides.name]
        try:
            run = subprocess.run(args, capture_output=True, text=True)
        finally:
            if overrides is not None:
                os.unlink(overrides.name)
        # 0: the cell ran or came from the cache; 2: it failed or was skipped (shown below).
        if run.returncode not in (0, 2):
            lines = [line for line in run.stderr.splitlines() if line.strip()]
            raise RuntimeError(lines[-1] if lines else f"mapbook exited with status {run.returncode}")
        _display(stored)

    MAPBOOK = _find_mapbook()
    if MAPBOOK:
        print(f"mapbook found: {MAPBOOK}; plan: {_plan()}")
    else:
        print("mapbook not found: set MAPBOOK=/path/to/mapbook (or put mapbook on PATH) and run this cell again; until then the cells show the report's stored results")
    """#.components(separatedBy: "\n")

    /// A Python string literal of `s`: quotes and backslashes escaped, and every control or
    /// line-separating character written as a `\\uXXXX` escape, so the literal is one line.
    static func literal(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if u.properties.generalCategory == .control || [0x2028, 0x2029].contains(u.value) {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// One written value as a Python literal: a plain number or true/false as such, anything
    /// else as text.
    static func value(_ text: String) -> String {
        if text == "true" { return "True" }
        if text == "false" { return "False" }
        if text.range(of: #"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil { return text }
        return literal(text)
    }

    /// Text safe inside a `#` comment: every line break (and other control) becomes a space.
    static func comment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map {
            $0.properties.generalCategory == .control || [0x2028, 0x2029, 0x85].contains($0.value) ? " " : $0
        }))
    }
}

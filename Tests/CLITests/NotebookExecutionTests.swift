import Foundation
import Testing
import TestSupport

/// report.ipynb executed headless with nbconvert and an IPython kernel, as "Run All" would.
@Suite("report.ipynb re-runs", .serialized)
struct NotebookExecutionTests {
    /// python3, when it can import nbconvert and ipykernel (installed by .ci/run from PyPI).
    static let python: String? = {
        guard let python = which("python3") else { return nil }
        let probe = try? Shell.run(python, ["-c", "import nbconvert, ipykernel"])
        return probe?.status == 0 ? python : nil
    }()

    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first(where: FileManager.default.isExecutableFile(atPath:))
    }

    static var available: Bool {
        if python == nil { print("skipping: python3 with nbconvert and ipykernel not found (pip install nbconvert ipykernel; see .ci/run)") }
        return python != nil
    }

    /// A report of a 24³ pair: fsc, postprocess, a montage that reads postprocess, and a compare
    /// cell that reads only fsc and the dataset.
    func makeReport(_ tmp: TemporaryDirectory) throws {
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("maps"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        try Data("""
        title: notebook test
        dataset: {half_maps: [maps/half1.mrc, maps/half2.mrc]}
        cells:
          - markdown: The FSC reaches {{ fsc.resolution }}.
          - {kind: fsc, id: fsc}
          - {kind: postprocess, id: postprocess, mask: auto, bfactor: auto}
          - {kind: montage, id: slices, maps: [postprocess.sharpened]}
          - {kind: compare, id: summary, numbers: [fsc.resolution], maps: [dataset.half_map_1]}

        """.utf8).write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Executes `notebook` (in the report folder) into `output` there; the kernel finds mapbook
    /// through MAPBOOK unless `environment` says otherwise.
    func execute(_ tmp: TemporaryDirectory, _ notebook: String, into output: String, environment: [String: String]? = nil) throws {
        let r = try Shell.run(Self.python!, ["-m", "nbconvert", "--to", "notebook", "--execute", tmp.file("report/" + notebook), "--output", output],
                              environment: environment ?? ["MAPBOOK": CLI.binary], timeout: 600)
        #expect(r.status == 0, "\(r.output)")
    }

    typealias Cell = [String: Any]

    func codeCells(_ path: String) throws -> [Cell] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return (json["cells"] as! [Cell]).filter { $0["cell_type"] as? String == "code" }
    }

    static func text(_ value: Any?) -> String {
        if let s = value as? String { return s }
        return (value as? [String] ?? []).joined()
    }

    /// What each output says, without the first line of the printed text (the status, which
    /// says "ran in 0.31 s" or "from cache").
    func outputs(_ cell: Cell) -> [String] {
        (cell["outputs"] as? [[String: Any]] ?? []).map { o in
            switch o["output_type"] as? String {
            case "stream": return "stream \(o["name"]!): " + Self.text(o["text"]).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
            case "display_data":
                let data = o["data"] as! [String: Any]
                return "display " + data.keys.sorted().map { "\($0)=" + Self.text(data[$0]).filter { !$0.isNewline } }.joined(separator: " ")
            default: return "other \(o)"
            }
        }
    }

    func statusLine(_ cell: Cell) -> String {
        let first = (cell["outputs"] as? [[String: Any]])?.first
        return Self.text(first?["text"]).components(separatedBy: "\n")[0]
    }

    @Test("Run All keeps every output, and its numbers are the HTML report's", .enabled(if: available))
    func runAll() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makeReport(tmp)
        try execute(tmp, "report.ipynb", into: "executed.ipynb")
        let before = try codeCells(tmp.file("report/report.ipynb")), after = try codeCells(tmp.file("report/executed.ipynb"))
        #expect(before.map { $0["id"] as! String } == ["mapbook-setup", "cell-fsc", "cell-postprocess", "cell-slices", "cell-summary"])
        #expect(before.count == after.count)
        let html = try String(contentsOfFile: tmp.file("report/report.html"), encoding: .utf8)
        var numbers = 0
        for (b, a) in zip(before, after).dropFirst() {
            let ob = outputs(b), oa = outputs(a)
            #expect(ob.count == oa.count && ob.count >= 2, "\(b["id"]!): \(ob.count) outputs before, \(oa.count) after")
            #expect(ob == oa, "\(b["id"]!) changed on execution")
            #expect(statusLine(a).hasSuffix(": from cache"), "\(statusLine(a))")
            // Every number the executed notebook prints or tabulates is in the HTML report.
            for text in oa where !text.contains("<img ") {
                let found = text.matches(of: try Regex("[0-9]+\\.[0-9]+")).map { String(text[$0.range]) }
                numbers += found.count
                for n in found { #expect(html.contains(n), "\(n) (from \(b["id"]!)) is not in report.html") }
            }
        }
        #expect(numbers >= 10, "only \(numbers) numbers compared")
        #expect(Self.text((after[0]["outputs"] as! [[String: Any]])[0]["text"]).hasPrefix("mapbook found: \(CLI.binary)"))
    }

    @Test("the demo's notebook, executed headless, keeps every output of every cell kind, and its numbers are the HTML report's",
          .enabled(if: available))
    func demoNotebook() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let demo = try CLI.run(["demo", "--root", tmp.path, "--formats", "html,ipynb", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let notebook = tmp.file("reports/demo/report.ipynb")
        let r = try Shell.run(Self.python!, ["-m", "nbconvert", "--to", "notebook", "--execute", notebook, "--output", "executed.ipynb"],
                              environment: ["MAPBOOK": CLI.binary], timeout: 900)
        #expect(r.status == 0, "\(r.output)")
        let before = try codeCells(notebook), after = try codeCells(tmp.file("reports/demo/executed.ipynb"))
        #expect(before.count == after.count && before.count == 16, "the setup cell and 15 analysis cells")
        let html = try String(contentsOfFile: tmp.file("reports/demo/report.html"), encoding: .utf8)
        for (b, a) in zip(before, after).dropFirst() {
            #expect(outputs(b) == outputs(a), "\(b["id"]!) changed on execution")
            for text in outputs(a) where !text.contains("<img ") {
                for n in text.matches(of: try Regex("[0-9]+\\.[0-9]+")).map({ String(text[$0.range]) }) {
                    #expect(html.contains(n), "\(n) (from \(b["id"]!)) is not in report.html")
                }
            }
        }
    }

    @Test("an edited parameter recomputes its cell and the cells that read it; the others come from the cache",
          .enabled(if: available))
    func editedParameter() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makeReport(tmp)
        let planBefore = try Data(contentsOf: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let htmlBefore = try Data(contentsOf: URL(fileURLWithPath: tmp.file("report/report.html")))
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("report/report.ipynb")))) as! [String: Any]
        var cells = json["cells"] as! [Cell]
        let i = cells.firstIndex { $0["id"] as? String == "cell-postprocess" }!
        let source = Self.text(cells[i]["source"])
        #expect(source.contains("    \"bfactor\": \"auto\",\n"))
        cells[i]["source"] = source.replacingOccurrences(of: "\"bfactor\": \"auto\"", with: "\"bfactor\": -50")
        json["cells"] = cells
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: tmp.file("report/edited.ipynb")))
        try execute(tmp, "edited.ipynb", into: "edited_run.ipynb")
        let run = Dictionary(uniqueKeysWithValues: try codeCells(tmp.file("report/edited_run.ipynb")).map { ($0["id"] as! String, $0) })
        #expect(statusLine(run["cell-fsc"]!).hasSuffix(": from cache"))
        #expect(statusLine(run["cell-summary"]!).hasSuffix(": from cache"))
        #expect(statusLine(run["cell-postprocess"]!).contains(": ran in "))
        #expect(statusLine(run["cell-slices"]!).contains(": ran in "), "the montage reads postprocess.sharpened")
        #expect(Self.text((run["cell-postprocess"]!["outputs"] as! [[String: Any]])[0]["text"]).contains("B = −50.0 Å²"))
        // The recomputed figures are new files beside the cell's outputs; unchanged ones are the report's.
        func images(_ id: String) -> [String] {
            (run[id]!["outputs"] as! [[String: Any]]).compactMap { o in
                (o["data"] as? [String: Any]).map { Self.text($0["text/html"]) }.flatMap { $0.firstMatch(of: try! Regex(#"src="([^"]+)""#)).map { String($0.output[1].substring!) } }
            }
        }
        #expect(images("cell-postprocess").contains { $0.hasPrefix("notebook/postprocess/") && FileManager.default.fileExists(atPath: tmp.file("report/" + $0)) })
        #expect(!images("cell-fsc").isEmpty && images("cell-fsc").allSatisfy { $0.hasPrefix("figures/") })
        // The plan and the report stay as they were: edits belong to the notebook.
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp.file("plan.yaml"))) == planBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp.file("report/report.html"))) == htmlBefore)
    }

    @Test("without mapbook the notebook still shows every stored output, and says how to point at mapbook",
          .enabled(if: available))
    func withoutMapbook() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makeReport(tmp)
        let original = try String(contentsOfFile: tmp.file("report/report.ipynb"), encoding: .utf8)
        let recorded = try #require(original.firstMatch(of: try Regex(#"MAPBOOK_RECORDED = \\"[^\\]*\\""#)))
        try original.replacingOccurrences(of: String(original[recorded.range]), with: "MAPBOOK_RECORDED = None")
            .write(toFile: tmp.file("report/offline.ipynb"), atomically: true, encoding: .utf8)
        try execute(tmp, "offline.ipynb", into: "offline_run.ipynb", environment: ["PATH": "/usr/bin:/bin", "MAPBOOK": ""])
        let before = try codeCells(tmp.file("report/report.ipynb")), after = try codeCells(tmp.file("report/offline_run.ipynb"))
        #expect(Self.text((after[0]["outputs"] as! [[String: Any]])[0]["text"]).hasPrefix("mapbook not found: set MAPBOOK=/path/to/mapbook"))
        for (b, a) in zip(before, after).dropFirst() { #expect(outputs(b) == outputs(a), "\(b["id"]!)") }
    }

    @Test("no text from the plan becomes notebook code: titles, ids and values with line breaks stay comments or strings",
          .enabled(if: available))
    func hostilePlanText() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("maps"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let payload = "open('PWNED', 'w').write('x')"
        try Data("""
        title: "t\\n\(payload)"
        dataset: {half_maps: [maps/half1.mrc, maps/half2.mrc]}
        cells:
          - {kind: fsc, id: fsc, title: "a\\n\(payload)\\r\(payload)\\u2028\(payload)\\u0085\(payload)"}
          - {kind: montage, id: slices, maps: [dataset.half_map_1], labels: ["x\\n\(payload)\\"\\\\"]}

        """.utf8).write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        try execute(tmp, "report.ipynb", into: "executed.ipynb")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("report/PWNED")))
        // Each code cell compiles to a single call after its comments (the setup cell aside).
        for cell in try codeCells(tmp.file("report/executed.ipynb")).dropFirst() {
            let code = Self.text(cell["source"]).split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(code.first?.hasPrefix("show_cell(") == true && !code.contains { $0.contains("PWNED") && !$0.hasPrefix("#") }, "\(code)")
        }
    }

    @Test("--cell and --overrides: unknown cells, keys and values are one line and exit 1; the report is untouched")
    func badOverrides() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makeReport(tmp)
        let plan = tmp.file("plan.yaml"), report = tmp.file("report")
        var written = 0
        func overrides(_ json: String) throws -> String {
            written += 1
            let path = tmp.file("overrides\(written).json")
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let cases: [([String], String)] = [
            (["--cell", "nope"], "--cell nope: the plan has no analysis cell with this id; its cells: fsc, postprocess, slices, summary"),
            (["--cell", "fsc", "--overrides", try overrides(#"{"nope": {"seed": 1}}"#)], "the parameter overrides name cell 'nope', which the plan does not have"),
            (["--cell", "fsc", "--overrides", try overrides(#"{"fsc": {"colour": 1}}"#)], "the parameter overrides of cell 'fsc' name 'colour', which is not a parameter of a fsc cell"),
            (["--cell", "postprocess", "--overrides", try overrides(#"{"postprocess": {"randomize_at_fsc": 3}}"#)], "randomize_at_fsc 3 must lie strictly between 0 and 1"),
            (["--cell", "fsc", "--overrides", try overrides(#"{"fsc": {"seed": {"a": 1}}}"#)], "parameter overrides must be a JSON object"),
            (["--overrides", try overrides(#"{"fsc": {"seed": 2}}"#)], "--overrides needs --cell"),
        ]
        let before = try FileManager.default.contentsOfDirectory(atPath: report + "/notebook/fsc")
        for (args, message) in cases {
            let r = try CLI.run(["run", plan, "-o", report, "--quiet"] + args)
            #expect(r.status == 1 || r.status == 64, "\(args): \(r.status)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: report + "/notebook/fsc") == before)
        // A good override names the cell's outputs it rewrote.
        let good = try CLI.run(["run", plan, "-o", report, "--quiet", "--cell", "fsc", "--overrides", try overrides(#"{"fsc": {"thresholds": [0.143, 0.5]}}"#)])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "fsc: executed\n")
    }
}

/// Runs a program with extra environment and a time limit; output goes through files, so a
/// chatty program can never block on a full pipe.
enum Shell {
    struct Result { var status: Int32; var output: String }

    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Result {
        let log = NSTemporaryDirectory() + "mapbook-shell-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        try handle.close()
        return Result(status: p.terminationStatus, output: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}

import Foundation
import MapbookCore
import Notebook
import NotebookCells

/// A batch manifest: the datasets a facility runs together, one per line.
///
///     # mapbook batch manifest: '#' starts a comment; blank lines are ignored
///     template  plans/standard.yaml          # plan for the `dataset` lines below it
///     plan      emd_1234/plan.yaml           # a dataset with its own plan
///     plan      emd_1235/plan.yaml  emd_1235b  # ... under another name
///     dataset   runs/2024-06-03_grid4        # a folder + the current template
///     dataset   runs/2024-06-04_grid1  apo   # ... named "apo"
///
/// Each line is a keyword and one or two fields, separated by tabs (a line with a tab is
/// split on tabs only, so paths may hold spaces) or else by runs of spaces. Paths are relative
/// to the manifest's folder. A `dataset` line runs the latest `template` above it as if the
/// template sat in the dataset folder: the template's relative paths (`half_maps: [half1.mrc,
/// half2.mrc]`) resolve against that folder, and the dataset is named after the folder unless
/// a name is given. A `plan` line's dataset is named by the plan (`dataset.name`, else the plan
/// file's name) unless a name is given. Names must be unique; they name the report folders.
public struct BatchManifest: Sendable {
    /// One dataset of the batch.
    public struct Entry: Sendable, Equatable {
        /// Unique name: the report folder and the row of the index.
        public var name: String
        /// The plan file (for a template dataset: the template).
        public var planPath: String
        /// For a `dataset` line: the dataset folder the template's relative paths resolve against.
        public var datasetDirectory: String?
        /// The manifest line (1-based).
        public var line: Int
    }

    /// The manifest file.
    public var path: String
    /// The datasets, in manifest order (array task i runs entry i).
    public var entries: [Entry]

    /// The manifest's keywords.
    public static let keywords = ["template", "plan", "dataset"]

    /// Reads and checks the manifest at `path`: every line, every file, and every plan and the
    /// files its dataset names (so a broken plan or a missing half map is found before anything
    /// is submitted). `checkPlans: false` checks the lines only.
    public static func load(path: String, checkPlans: Bool = true) throws -> BatchManifest {
        let text = try InputFile.text(of: path, kind: "manifest")
        let manifest = try parse(text, path: path)
        if checkPlans {
            // Every plan first (a plan that does not parse is the first thing to fix), then
            // every dataset's files.
            var plans: [(entry: Entry, plan: Plan)] = []
            for e in manifest.entries {
                do { plans.append((e, try e.loadPlan())) }
                catch { throw MapbookError("\(error)", path: "\(manifest.path):\(e.line)") }
            }
            for (e, plan) in plans {
                do { try plan.checkDatasetFiles() }
                catch { throw MapbookError("\(error)", path: "\(manifest.path):\(e.line)") }
            }
        }
        return manifest
    }

    /// Parses manifest `text`; `path` names it in errors (`manifest.tsv:7: problem`) and
    /// anchors relative paths. Checks that the named files and folders exist.
    public static func parse(_ text: String, path: String) throws -> BatchManifest {
        let base = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        func absolute(_ p: String) -> String {
            let e = (p as NSString).expandingTildeInPath
            return URL(fileURLWithPath: e.hasPrefix("/") ? e : base + "/" + e).standardizedFileURL.path
        }
        var template: String?
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        let fm = FileManager.default
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = i + 1
            func fail(_ problem: String) -> MapbookError { MapbookError(problem, path: "\(path):\(number)") }
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            let fields: [String]
            if line.contains("\t") {
                fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else {
                fields = line.split(whereSeparator: { $0 == " " }).map(String.init)
            }
            guard let keyword = fields.first else { continue }
            guard keywords.contains(keyword) else {
                throw fail("unknown keyword '\(keyword)'; a line starts with one of: \(keywords.joined(separator: ", "))")
            }
            let usage = keyword == "template" ? "template PLAN" : "\(keyword) \(keyword == "plan" ? "PLAN" : "FOLDER") [NAME]"
            guard fields.count >= 2, fields.count <= (keyword == "template" ? 2 : 3) else {
                throw fail("'\(keyword)' takes \(keyword == "template" ? "one field" : "one or two fields"): \(usage) (found \(fields.count - 1)); separate fields with tabs when a path holds spaces")
            }
            let target = absolute(fields[1])
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: target, isDirectory: &isDir)
            switch keyword {
            case "template":
                guard exists else { throw fail("template plan \(fields[1]) not found") }
                guard !isDir.boolValue else { throw fail("template plan \(fields[1]) is a folder, not a plan file") }
                template = target
                continue
            case "plan":
                guard exists else { throw fail("plan \(fields[1]) not found") }
                guard !isDir.boolValue else { throw fail("plan \(fields[1]) is a folder, not a plan file") }
            default:
                guard exists else { throw fail("dataset folder \(fields[1]) not found") }
                guard isDir.boolValue else { throw fail("dataset folder \(fields[1]) is a file, not a folder") }
                guard template != nil else { throw fail("a 'dataset' line needs a 'template PLAN' line above it") }
            }
            let name: String
            if fields.count == 3 {
                name = fields[2]
            } else if keyword == "dataset" {
                name = URL(fileURLWithPath: target).lastPathComponent
            } else {
                do { name = try PlanParser.load(path: target).datasetFolderName }
                catch { throw fail("plan \(fields[1]) does not parse: \(error)") }
            }
            guard isSafeName(name) else {
                throw fail("dataset name '\(name)' cannot name a folder; use letters, digits, '.', '-' and '_', not starting with '.' (give a name as the last field)")
            }
            guard !isReservedName(name) else {
                throw fail("dataset name '\(name)' is taken by the batch's own \(reservedNames.joined(separator: ", ")); give another name as the last field")
            }
            if let first = seen[name] {
                throw fail("dataset name '\(name)' is already used on line \(first); names must be unique (give a name as the last field)")
            }
            seen[name] = number
            entries.append(Entry(name: name, planPath: keyword == "plan" ? target : template!,
                                 datasetDirectory: keyword == "dataset" ? target : nil, line: number))
        }
        guard !entries.isEmpty else { throw MapbookError("the manifest lists no datasets; add 'plan PLAN' or 'dataset FOLDER' lines", path: path) }
        return BatchManifest(path: URL(fileURLWithPath: path).standardizedFileURL.path, entries: entries)
    }

    /// The folders and files `BatchLayout` keeps beside the report folders in the output
    /// folder; a dataset named like one of them would write its report over them.
    public static let reservedNames = ["status", "slurm", "cache", "index.html", "index.json", "index.csv", FacilityIndex.filesFolder]

    /// Whether `name` collides with one of `reservedNames` (ignoring case, for file systems
    /// that do).
    static func isReservedName(_ name: String) -> Bool {
        reservedNames.contains(name.lowercased())
    }

    /// Whether `name` is usable as one folder name.
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._-".contains($0) }
    }
}

extension BatchManifest.Entry {
    /// The entry's plan, checked: for a template dataset, anchored in the dataset folder and
    /// named after the entry.
    public func loadPlan() throws -> Plan {
        var plan = try PlanParser.load(path: planPath)
        if let dir = datasetDirectory {
            plan.directory = dir
            plan.dataset.name = name
        } else if plan.datasetFolderName != name {
            plan.dataset.name = name
        }
        return plan
    }

    /// The files the plan's dataset reads, made absolute.
    public func datasetFiles(_ plan: Plan) -> [(field: String, path: String)] {
        plan.dataset.files.map { f in
            let e = (f.path as NSString).expandingTildeInPath
            return (f.field, URL(fileURLWithPath: e.hasPrefix("/") ? e : plan.directory + "/" + e).standardizedFileURL.path)
        }
    }
}

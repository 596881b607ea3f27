import Foundation
import MapbookCore
import Yams

/// Reads plan files (YAML, or JSON, which is YAML too) into checked, typed `Plan`s.
///
/// The file is composed into a YAML node tree first, which keeps the line and column of every
/// value; the tree is checked (known keys, known kinds, references that exist and fit) and
/// then decoded into typed structs. Every problem becomes one `MapbookError` of the form
/// `plan.yaml:12:5: problem; allowed …`.
///
/// The parser knows no kind of cell: every entry point takes the kinds a plan may use
/// (NotebookCells' `CellKinds.all` in mapbook), so the engine names no algorithm.
public enum PlanParser {
    /// The keys a plan may have at its top level.
    public static let topLevelKeys = ["title", "dataset", "cells", "deposition", "report"]

    /// Keys every analysis cell takes besides its own options.
    public static let commonKeys = ["kind", "id", "title"]

    /// Reads and checks the plan at `path`.
    ///
    /// The file must be a regular file (a folder, FIFO or device is refused before reading)
    /// of UTF-8 text. The files the dataset block names are not looked at here (a batch
    /// template's paths only resolve in each dataset's folder); see `Plan.checkDatasetFiles()`.
    public static func load(path: String, kinds: [any NotebookCell.Type], overrides: ParameterOverrides = .none) throws -> Plan {
        let text = try InputFile.text(of: path, kind: "plan file")
        return try parse(text, path: path, kinds: kinds, overrides: overrides)
    }

    /// Checks and decodes plan `text`; `path` names it in errors and anchors relative paths.
    /// `kinds` are the kinds its cells may have. `overrides` replace written parameter values
    /// (each is checked as a written value would be; an override of no cell or no parameter is
    /// refused).
    public static func parse(_ text: String, path: String, kinds: [any NotebookCell.Type],
                             overrides: ParameterOverrides = .none) throws -> Plan {
        do {
            return try parseChecked(text, path: path, kinds: kinds, overrides: overrides)
        } catch let p as PlanProblem {
            throw p.error(path: path)
        }
    }

    static func parseChecked(_ text: String, path: String, kinds: [any NotebookCell.Type],
                             overrides: ParameterOverrides = .none) throws -> Plan {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PlanProblem("the plan is empty; it needs \(topLevelKeys.joined(separator: ", "))", at: SourcePosition(line: 1, column: 1))
            }
            root = node
        } catch let e as YamlError {
            throw syntaxProblem(e, text: text)
        }
        try PlanDuplicateKeys.check(root)
        guard let top = root.mapping else {
            throw PlanProblem("a plan is a mapping with the keys \(topLevelKeys.joined(separator: ", "))", at: root.mark.map(SourcePosition.init))
        }
        try checkKeys(top, allowed: topLevelKeys, where: "at the top of the plan")

        var title = "mapbook report"
        if let t = top["title"] {
            guard let s = t.scalar?.string else { throw PlanProblem("title must be text", at: position(t)) }
            title = s
        }
        guard let datasetNode = top["dataset"] else {
            throw PlanProblem("the plan has no dataset block (the half maps and other files)", at: position(root))
        }
        guard let datasetMapping = datasetNode.mapping else {
            throw PlanProblem("dataset must be a mapping with the keys \(PlanDataset.keys.joined(separator: ", "))", at: position(datasetNode))
        }
        try checkKeys(datasetMapping, allowed: PlanDataset.keys, where: "in the dataset block")
        let dataset: PlanDataset = try decode(PlanDataset.self, from: datasetNode, what: "the dataset block")

        guard let cellsNode = top["cells"] else {
            throw PlanProblem("the plan has no cells (the analyses to run, in order)", at: position(root))
        }
        guard let cellNodes = cellsNode.sequence else {
            throw PlanProblem("cells must be a list", at: position(cellsNode))
        }
        var cells: [PlanCell] = []
        var ids = Set<String>()
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for node in cellNodes {
            cells.append(try cell(node, dataset: dataset, ids: &ids, fileLines: fileLines, kinds: kinds, overrides: overrides))
        }
        if let unknown = overrides.values.keys.sorted().first(where: { !ids.contains($0) }) {
            throw PlanProblem("the parameter overrides name cell '\(unknown)', which the plan does not have; its cells: \(ids.sorted().joined(separator: ", "))", at: nil)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        var plan = Plan(path: path, directory: directory, text: text, title: title, dataset: dataset, cells: cells)
        plan.datasetFilePositions = datasetFilePositions(datasetMapping)
        try checkReferences(plan)
        if let node = top["report"] { plan.reportSettings = try reportSettings(node) }
        if let node = top["deposition"] { plan.deposition = try deposition(node, plan: plan) }
        return plan
    }

    // MARK: cells

    static func cell(_ node: Node, dataset: PlanDataset, ids: inout Set<String>, fileLines: [Substring],
                     kinds: [any NotebookCell.Type], overrides: ParameterOverrides = .none) throws -> PlanCell {
        let names = kinds.map { $0.kind }.sorted()
        guard let m = node.mapping else {
            throw PlanProblem("a cell is a mapping: either markdown: <text>, or kind: <\(names.joined(separator: "|"))> with its options", at: position(node))
        }
        if m["markdown"] != nil {
            try checkKeys(m, allowed: ["markdown"], where: "in a markdown cell")
            let textNode = m["markdown"]!
            guard let text = textNode.scalar?.string else { throw PlanProblem("markdown must be text", at: position(textNode)) }
            let refs = MarkdownTemplate.references(in: text).map { r -> PlanReference in
                var r = r
                r.position = MarkdownTemplate.position(of: r, in: textNode, text: text, fileLines: fileLines)
                return r
            }
            return .markdown(MarkdownCell(text: text, position: position(node), references: refs))
        }
        guard let kindNode = m["kind"] else {
            throw PlanProblem("a cell needs markdown: <text> or kind: <\(names.joined(separator: "|"))>", at: position(node))
        }
        guard let kindName = kindNode.scalar?.string, let kind = kinds.first(where: { $0.kind == kindName }) else {
            throw PlanProblem("unknown cell kind '\(kindNode.scalar?.string ?? "?")'; allowed kinds: \(names.joined(separator: ", ")) (or a markdown cell)", at: position(kindNode))
        }
        try checkKeys(m, allowed: commonKeys + kind.options.map(\.key), where: "in a \(kindName) cell")

        var id = kindName
        if let idNode = m["id"] {
            guard let s = idNode.scalar?.string, isIdentifier(s) else {
                throw PlanProblem("a cell id is lowercase letters, digits and underscores, starting with a letter (it names files and references)", at: position(idNode))
            }
            guard s != "dataset" else { throw PlanProblem("'dataset' is reserved; choose another cell id", at: position(idNode)) }
            guard !ids.contains(s) else { throw PlanProblem("two cells have the id '\(s)'; ids must be unique", at: position(idNode)) }
            id = s
        } else {
            var n = 2
            while ids.contains(id) { id = "\(kindName)_\(n)"; n += 1 }
        }
        ids.insert(id)
        var title = kind.defaultTitle
        if let t = m["title"] {
            guard let s = t.scalar?.string else { throw PlanProblem("title must be text", at: position(t)) }
            title = s
        }
        let declared = Set(kind.parameterKeys)
        let inputPairs = m.filter { !commonKeys.contains($0.key.scalar?.string ?? "") && !declared.contains($0.key.scalar?.string ?? "") }
        let inputs = Node.mapping(Node.Mapping(inputPairs.map { ($0.key, $0.value) }, m.tag, m.style, m.mark))
        var written = try parameterTexts(m, keys: declared)
        for (key, text) in overrides.values[id] ?? [:] {
            guard declared.contains(key) else {
                throw PlanProblem("the parameter overrides of cell '\(id)' name '\(key)', which is not a parameter of a \(kindName) cell; its parameters: \(declared.sorted().joined(separator: ", "))", at: nil)
            }
            // No position: the value is not in the file, and the message says it is an override.
            written.texts[key] = (text, nil)
            written.positions[key] = nil
        }
        var decoded = try decodeCell(kind, inputs: inputs, parameters: written.texts, cell: id)
        decoded.resolveDefaults(for: dataset)
        do { try decoded.validate() } catch var p as PlanProblem {
            if p.position == nil { p.position = position(node) }
            p.message = "in cell '\(id)': " + p.message
            throw p
        } catch let p as ParameterProblem {
            throw PlanProblem("in cell '\(id)': " + p.description, at: written.positions[p.key] ?? position(node))
        }
        return .analysis(AnalysisCell(id: id, kind: kindName, title: title, cell: decoded, position: position(node),
                                      parameterPositions: written.positions))
    }

    /// The cell's inputs decoded from `inputs`, and its parameters made from their written
    /// values; a refused value is a problem at that value.
    static func decodeCell<C: NotebookCell>(_ type: C.Type, inputs: Node, parameters written: [String: (text: String, position: SourcePosition?)],
                                            cell id: String) throws -> any NotebookCell {
        var cell = try decode(C.self, from: inputs, what: "cell '\(id)'")
        do {
            cell.parameters = try C.Parameters(parameterTexts: written.mapValues(\.text))
        } catch let p as ParameterProblem {
            throw PlanProblem("in cell '\(id)': " + p.description, at: written[p.key]?.position)
        }
        return cell
    }

    /// The written values of the declared parameters' keys in `m` (a list is written as its
    /// elements joined by commas), with where each value sits.
    static func parameterTexts(_ m: Node.Mapping, keys: Set<String>) throws
        -> (texts: [String: (text: String, position: SourcePosition?)], positions: [String: SourcePosition]) {
        var texts: [String: (text: String, position: SourcePosition?)] = [:]
        var positions: [String: SourcePosition] = [:]
        for (k, v) in m {
            guard let key = k.scalar?.string, keys.contains(key) else { continue }
            let text: String
            if let scalar = v.scalar {
                text = scalar.string
            } else if let items = v.sequence, items.allSatisfy({ $0.scalar != nil }) {
                text = items.map { $0.scalar!.string }.joined(separator: ", ")
            } else {
                throw PlanProblem("\(key) must be a value or a list of values", at: position(v))
            }
            texts[key] = (text, position(v))
            if let p = position(v) { positions[key] = p }
        }
        return (texts, positions)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    // MARK: references

    /// Every reference must name something that exists before the cell (or, in markdown,
    /// anywhere in the plan) and has the type the cell needs.
    static func checkReferences(_ plan: Plan) throws {
        var available: [(name: String, type: PlanValueType)] = plan.dataset.outputs.map { ("dataset.\($0.name)", $0.type) }
        var allNumbers: [String] = []
        for case .analysis(let a) in plan.cells {
            for o in type(of: a.cell).outputs where o.type == .number { allNumbers.append("\(a.id).\(o.name)") }
        }
        let ids = plan.analysisCells.map(\.id)
        for cell in plan.cells {
            switch cell {
            case .markdown(let md):
                for r in md.references where !allNumbers.contains(r.description) {
                    throw PlanProblem("{{ \(r) }} names no number; allowed: \(allNumbers.isEmpty ? "(no cell makes numbers)" : allNumbers.joined(separator: ", "))", at: r.position ?? md.position)
                }
            case .analysis(let a):
                for input in a.cell.inputs {
                    let r = input.reference
                    let fits = available.filter { $0.type == input.type }.map(\.name)
                    if fits.contains(r.description) { continue }
                    if !r.isDataset, ids.contains(r.source), !plan.analysisCells.prefix(while: { $0.id != a.id }).contains(where: { $0.id == r.source }) {
                        throw PlanProblem("\(input.key): '\(r)' refers to cell '\(r.source)', which does not come before cell '\(a.id)' (cells run in order)", at: r.position ?? a.position)
                    }
                    if r.isDataset, PlanDataset.keys.contains(r.output) || ["half_map_1", "half_map_2"].contains(r.output), plan.dataset.path(of: r.output) == nil {
                        throw PlanProblem("\(input.key): '\(r)' is not set in the dataset block; add \(r.output.hasPrefix("half_map") ? "half_maps" : r.output) there or choose another; allowed here: \(fits.joined(separator: ", "))", at: r.position ?? a.position)
                    }
                    throw PlanProblem("\(input.key): '\(r)' is not a \(input.type.rawValue) this cell can use; allowed here: \(fits.isEmpty ? "(none)" : fits.joined(separator: ", "))", at: r.position ?? a.position)
                }
                for o in type(of: a.cell).outputs { available.append(("\(a.id).\(o.name)", o.type)) }
            }
        }
    }

    // MARK: helpers

    static func position(_ node: Node) -> SourcePosition? { node.mark.map(SourcePosition.init) }

    static func checkKeys(_ m: Node.Mapping, allowed: [String], where place: String) throws {
        var seen = Set<String>()
        for (k, _) in m {
            guard let key = k.scalar?.string else { throw PlanProblem("keys must be plain words", at: position(k)) }
            guard allowed.contains(key) else {
                throw PlanProblem("unknown key '\(key)' \(place); allowed keys: \(allowed.joined(separator: ", "))", at: position(k))
            }
            guard seen.insert(key).inserted else { throw PlanProblem("key '\(key)' is given twice \(place)", at: position(k)) }
        }
    }

    /// Decodes `T` from `node`, turning decoding errors into plan problems at the offending value.
    static func decode<T: Decodable>(_ type: T.Type, from node: Node, what: String) throws -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: node)
        } catch let p as PlanProblem {
            throw p
        } catch let e as DecodingError {
            throw decodingProblem(e, root: node, what: what)
        }
    }

    static func decodingProblem(_ e: DecodingError, root: Node, what: String) -> PlanProblem {
        func locate(_ path: [CodingKey]) -> (Node, String) {
            var node = root
            var name = ""
            for key in path {
                if let i = key.intValue, let s = node.sequence, i < s.count {
                    node = s[i]
                    name += "[\(i)]"
                } else if let child = node.mapping?[key.stringValue] {
                    node = child
                    name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return (node, name)
        }
        switch e {
        case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
            let (node, name) = locate(c.codingPath)
            let found = node.scalar.map { "'\($0.string)'" } ?? (node.sequence != nil ? "a list" : node.mapping != nil ? "a mapping" : "nothing")
            return PlanProblem("in \(what), \(name.isEmpty ? "the value" : "'\(name)'") must be \(describe(type)), found \(found)", at: position(node))
        case .keyNotFound(let key, let c):
            let (node, _) = locate(c.codingPath)
            return PlanProblem("in \(what), '\(key.stringValue)' is required", at: position(node))
        case .dataCorrupted(let c):
            let (node, name) = locate(c.codingPath)
            return PlanProblem("in \(what), \(name.isEmpty ? "a value" : "'\(name)'") cannot be read: \(c.debugDescription)", at: position(node))
        @unknown default:
            return PlanProblem("in \(what): \(e)", at: position(root))
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type: return "a whole number"
        case is UInt64.Type, is UInt.Type: return "a whole number, zero or more"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a \(name)"
        }
    }

    /// Where each dataset file is written: the half maps' list items, the other fields' values.
    static func datasetFilePositions(_ m: Node.Mapping) -> [String: SourcePosition] {
        var out: [String: SourcePosition] = [:]
        if let halves = m["half_maps"]?.sequence {
            for (i, node) in halves.enumerated() { out["half_map_\(i + 1)"] = position(node) }
        }
        for field in ["full_map", "mask", "model", "sequence", "truth", "true_local_resolution", "benchmark"] {
            if let node = m[field] { out[field] = position(node) }
        }
        return out
    }

    /// One line for a YAML error, at its place in `text` when known.
    static func syntaxProblem(_ e: YamlError, text: String) -> PlanProblem {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            let position = SourcePosition(mark)
            let tab = PlanText.isTab(at: position, in: text) ? "; tabs cannot indent or separate YAML, use spaces" : ""
            return PlanProblem("YAML syntax: \(problem)\(ctx)\(tab)", at: position)
        case .reader(let problem, let offset, let value, _):
            let character = value >= 0 ? String(format: " (character U+%04X)", value) : ""
            return PlanProblem("YAML: \(problem)\(character)", at: offset.flatMap { PlanText.position(ofCharacter: $0, in: text) })
        case .duplicatedKeysInMapping(let keys, let context):
            return PlanDuplicateKeys.problem(for: keys, first: SourcePosition(context.mark), in: text)
        default:
            return PlanProblem("YAML: " + "\(e)".split(separator: "\n").joined(separator: " "), at: nil)
        }
    }
}

import Foundation
import MapModel

/// An analysis plan: which dataset, and the cells to run on it, in order.
///
/// Made by `PlanParser` from a YAML or JSON file; every check (keys, kinds, references) has
/// passed by the time a `Plan` exists.
public struct Plan: Sendable {
    /// The plan file as given on the command line.
    public var path: String
    /// Absolute folder of the plan file: relative paths in the plan are relative to it.
    public var directory: String
    /// The file's text (its hash goes into the provenance).
    public var text: String
    /// The report title.
    public var title: String
    /// The dataset block.
    public var dataset: PlanDataset
    /// The cells, in order.
    public var cells: [PlanCell]
    /// Where each dataset file is written in the plan, by field (half_map_1, mask, …).
    public var datasetFilePositions: [String: SourcePosition] = [:]
    /// What goes to EMDB (the `deposition:` section), when the plan names it.
    public var deposition: PlanDeposition?
    /// How the report is written (the `report:` section).
    public var reportSettings = PlanReportSettings()

    /// The analysis cells, in order.
    public var analysisCells: [AnalysisCell] {
        cells.compactMap { if case .analysis(let a) = $0 { return a } else { return nil } }
    }

    /// A path from the plan made absolute against the plan's folder.
    public func resolvedPath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return URL(fileURLWithPath: directory + "/" + expanded).standardizedFileURL.path
    }

    /// Every file the plan reads: the plan file and the dataset's files (absolute). No output
    /// of a run may replace one of them.
    public var inputFiles: [String] {
        [URL(fileURLWithPath: path).standardizedFileURL.path] + dataset.files.map { resolvedPath($0.path) }
    }

    /// `ids` and every cell they read from, directly or through other cells.
    public func cellsNeeded(for ids: Set<String>) -> Set<String> {
        var needed = Set<String>()
        var pending = Array(ids)
        while let id = pending.popLast() {
            guard needed.insert(id).inserted, let a = cell(id: id) else { continue }
            pending += a.cell.inputs.map(\.reference).filter { !$0.isDataset }.map(\.source)
        }
        return needed
    }

    /// The analysis cell with `id`.
    public func cell(id: String) -> AnalysisCell? { analysisCells.first { $0.id == id } }

    /// The dataset's name: the `name` field, else the plan file's name without extension.
    public var datasetName: String {
        dataset.name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    /// The dataset's name made safe as one folder name (letters, digits, '.', '-', '_'; no
    /// leading dot), for default output folders.
    public var datasetFolderName: String {
        var s = String(datasetName.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        while s.hasPrefix(".") { s.removeFirst() }
        return s.isEmpty ? "dataset" : s
    }
}

/// One cell of a plan.
public enum PlanCell: Sendable {
    /// Text, with `{{ cell.output }}` references to computed numbers.
    case markdown(MarkdownCell)
    /// An analysis run by the engine.
    case analysis(AnalysisCell)
}

/// A markdown cell.
public struct MarkdownCell: Sendable {
    /// The markdown as written.
    public var text: String
    /// Where the cell starts in the plan.
    public var position: SourcePosition?
    /// The `{{ }}` references in the text.
    public var references: [PlanReference]
}

/// An analysis cell: its identity and its typed parameters.
public struct AnalysisCell: Sendable {
    /// Unique name, used in references (`<id>.<output>`) and file names.
    public var id: String
    /// The cell kind (`fsc`, `postprocess`, …).
    public var kind: String
    /// Heading in the report.
    public var title: String
    /// The typed parameters, which also know how to run and present the cell.
    public var cell: any NotebookCell
    /// Where the cell starts in the plan.
    public var position: SourcePosition?
    /// Where each parameter's value is written in the plan, by key.
    public var parameterPositions: [String: SourcePosition] = [:]

    /// A cell.
    public init(id: String, kind: String, title: String, cell: any NotebookCell, position: SourcePosition?,
                parameterPositions: [String: SourcePosition] = [:]) {
        self.id = id; self.kind = kind; self.title = title; self.cell = cell; self.position = position
        self.parameterPositions = parameterPositions
    }

    /// The cell's parameters as canonical JSON (sorted keys): part of the cache key and of
    /// the resolved plan.
    public var parametersJSON: Data { (try? CanonicalJSON.encode(AnyEncodable(cell))) ?? Data() }
}

/// The dataset block: the files a plan works on, and facts about them.
///
/// Paths are as written in the plan; `resolvedPath` makes them absolute against the plan's
/// folder.
public struct PlanDataset: Codable, Sendable, Equatable {
    /// A short name for the dataset (report title, default output folder).
    public var name: String?
    /// The two half maps.
    public var halfMaps: [String]?
    /// A full (not half) map, such as the refinement's final map.
    public var fullMap: String?
    /// A soft mask.
    public var mask: String?
    /// An atomic model (PDB or mmCIF).
    public var model: String?
    /// The sequence (FASTA).
    public var sequence: String?
    /// Voxel size in Å to use instead of the maps' headers.
    public var voxelSize: Double?
    /// Point-group symmetry (C1, C4, D2, T, O, I).
    public var symmetry: String?
    /// Simulated data only: the noise-free map the half maps were made from (`mapbook
    /// simulate`'s truth.mrc), against which the `truth` cell scores maps.
    public var truth: String?
    /// Simulated data only: the true local resolution in Å, 0 outside the molecule
    /// (`mapbook simulate`'s localres.mrc); the `truth` cell scores its better- and
    /// worse-resolved halves separately.
    public var trueLocalResolution: String?
    /// A benchmark results table (`bench/results.tsv`, written by `bench/all.sh`), read by the
    /// `benchmark` cell. Not a map: a plan may name it without any half maps.
    public var benchmark: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, halfMaps = "half_maps", fullMap = "full_map", mask, model, sequence, voxelSize = "voxel_size", symmetry
        case truth, trueLocalResolution = "true_local_resolution", benchmark
    }

    /// The keys a dataset block may have.
    public static let keys = CodingKeys.allCases.map(\.rawValue)

    /// The fields (as `files` names them) that hold maps, each read whole by the cells that
    /// use it: what memory estimates and the dataset's grid are taken from.
    public static let mapFields = ["half_map_1", "half_map_2", "full_map", "mask", "truth", "true_local_resolution"]

    /// An empty dataset.
    public init() {}

    /// The values the dataset offers to cells as `dataset.<name>`, given which files are set.
    public var outputs: [(name: String, type: PlanValueType)] {
        var out: [(String, PlanValueType)] = []
        if halfMaps != nil { out += [("half_maps", .halfMaps), ("half_map_1", .map), ("half_map_2", .map)] }
        if fullMap != nil { out.append(("full_map", .map)) }
        if mask != nil { out.append(("mask", .map)) }
        if model != nil { out.append(("model", .file)) }
        if sequence != nil { out.append(("sequence", .file)) }
        if truth != nil { out.append(("truth", .map)) }
        if trueLocalResolution != nil { out.append(("true_local_resolution", .map)) }
        if benchmark != nil { out.append(("benchmark", .file)) }
        return out
    }

    /// The file behind `dataset.<field>` (for half_maps, the first half map).
    public func path(of field: String) -> String? {
        switch field {
        case "half_maps", "half_map_1": return halfMaps?.first
        case "half_map_2": return halfMaps.flatMap { $0.count > 1 ? $0[1] : nil }
        case "full_map": return fullMap
        case "mask": return mask
        case "model": return model
        case "sequence": return sequence
        case "truth": return truth
        case "true_local_resolution": return trueLocalResolution
        case "benchmark": return benchmark
        default: return nil
        }
    }

    /// Every file the dataset names, with the field it comes from.
    public var files: [(field: String, path: String)] {
        var out: [(String, String)] = []
        if let h = halfMaps { for (i, p) in h.enumerated() { out.append(("half_map_\(i + 1)", p)) } }
        for (f, p) in [("full_map", fullMap), ("mask", mask), ("model", model), ("sequence", sequence), ("truth", truth),
                       ("true_local_resolution", trueLocalResolution), ("benchmark", benchmark)] {
            if let p { out.append((f, p)) }
        }
        return out
    }

    /// The point-group order for the half-bit threshold (1 when no symmetry is given).
    public var symmetryOrder: Int { symmetry.flatMap(Self.order(ofSymmetry:)) ?? 1 }

    /// The order of a point group written as RELION does (C1, C7, D2, T, O, I or I1–I4);
    /// nil when the text is not one of these.
    public static func order(ofSymmetry text: String) -> Int? {
        let s = text.uppercased()
        guard let first = s.first else { return nil }
        let rest = s.dropFirst()
        switch first {
        case "C": return Int(rest).flatMap { $0 >= 1 ? $0 : nil }
        case "D": return Int(rest).flatMap { $0 >= 2 ? 2 * $0 : nil }
        case "T": return rest.isEmpty ? 12 : nil
        case "O": return rest.isEmpty ? 24 : nil
        case "I": return rest.isEmpty || ["1", "2", "3", "4"].contains(String(rest)) ? 60 : nil
        default: return nil
        }
    }

    /// Decodes the block, checking the half-map count, voxel size and symmetry where written.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        halfMaps = try c.decodeIfPresent([String].self, forKey: .halfMaps)
        if let h = halfMaps, h.count != 2 {
            throw PlanProblem("half_maps must list exactly two files, found \(h.count)", at: try c.superDecoder(forKey: .halfMaps).planPosition)
        }
        fullMap = try c.decodeIfPresent(String.self, forKey: .fullMap)
        mask = try c.decodeIfPresent(String.self, forKey: .mask)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        sequence = try c.decodeIfPresent(String.self, forKey: .sequence)
        voxelSize = try c.decodeIfPresent(Double.self, forKey: .voxelSize)
        if let v = voxelSize, let why = VoxelGrid.voxelSizeProblem(v) {
            throw PlanProblem("voxel_size must be a positive size in Å, got \(v): \(why)", at: try c.superDecoder(forKey: .voxelSize).planPosition)
        }
        truth = try c.decodeIfPresent(String.self, forKey: .truth)
        trueLocalResolution = try c.decodeIfPresent(String.self, forKey: .trueLocalResolution)
        benchmark = try c.decodeIfPresent(String.self, forKey: .benchmark)
        symmetry = try c.decodeIfPresent(String.self, forKey: .symmetry)
        if let s = symmetry, Self.order(ofSymmetry: s) == nil {
            throw PlanProblem("symmetry '\(s)' is not a point group; write C1, Cn, Dn, T, O or I", at: try c.superDecoder(forKey: .symmetry).planPosition)
        }
    }
}

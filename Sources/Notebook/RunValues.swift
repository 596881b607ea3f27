import Foundation
import MapbookCore
import MapModel

/// The values cells read during a run: dataset maps (read on first use, with the voxel-size
/// override) and earlier cells' outputs (in memory when made in this run, read back from the
/// cache otherwise). Maps are dropped once no later cell needs them.
final class RunValues: ValueStore {
    let plan: Plan
    let hashes: FileHashes
    private let lastUse: [String: Int]
    private var maps: [String: Volume] = [:]
    private var pairs: [String: (Volume, Volume)] = [:]
    private var cellMapFiles: [String: [String: String]] = [:]
    private var cellNumbers: [String: [String: Quantity]] = [:]

    init(plan: Plan, hashes: FileHashes, lastUse: [String: Int]) {
        self.plan = plan
        self.hashes = hashes
        self.lastUse = lastUse
    }

    /// A path from the plan made absolute against the plan's folder.
    func resolvedPath(_ path: String) -> String { plan.resolvedPath(path) }

    /// The identity of a dataset field for cache keys: its files' hashes and the voxel-size
    /// override.
    func datasetIdentity(_ field: String) throws -> String {
        let override = plan.dataset.voxelSize.map { "\($0)" } ?? "header"
        let paths: [String]
        if field == "half_maps" { paths = plan.dataset.halfMaps ?? [] }
        else if let p = plan.dataset.path(of: field) { paths = [p] }
        else { throw MapbookError("dataset.\(field) is not set in the plan") }
        let digests = try paths.map { try hashes.hash(resolvedPath($0)).sha256 }
        return "files \(digests.joined(separator: ",")) voxel \(override)"
    }

    /// Records a finished cell's outputs.
    func addCellOutputs(_ id: String, record: CellRecord, maps made: [String: Volume]) {
        cellMapFiles[id] = record.mapFiles
        cellNumbers[id] = record.numbers
        for (name, v) in made where lastUse["\(id).\(name)"] != nil { maps["\(id).\(name)"] = v }
    }

    /// Drops values whose last reader was analysis cell `index`.
    func release(after index: Int) {
        for (ref, last) in lastUse where last <= index {
            maps[ref] = nil
            pairs[ref] = nil
        }
    }

    // MARK: ValueStore

    func map(_ r: PlanReference) throws -> Volume {
        if let v = maps[r.description] { return v }
        let v: Volume
        if r.isDataset {
            if r.output == "half_map_1" || r.output == "half_map_2", let pair = pairs["dataset.half_maps"] {
                v = r.output == "half_map_1" ? pair.0 : pair.1
            } else {
                guard let p = plan.dataset.path(of: r.output) else { throw MapbookError("dataset.\(r.output) is not set in the plan") }
                v = try read(resolvedPath(p))
            }
        } else {
            guard let files = cellMapFiles[r.source] else { throw MapbookError("cell '\(r.source)' has no results") }
            guard let file = files[r.output] else {
                throw MapbookError("\(r) was not made by cell '\(r.source)' in this configuration (it makes: \(files.keys.sorted().joined(separator: ", ")))")
            }
            v = try MRCFile.read(path: file).volume
        }
        if lastUse[r.description] != nil { maps[r.description] = v }
        return v
    }

    func halfMaps(_ r: PlanReference) throws -> (Volume, Volume) {
        if let p = pairs[r.description] { return p }
        guard r.isDataset, r.output == "half_maps", let files = plan.dataset.halfMaps, files.count == 2 else {
            throw MapbookError("\(r) is not a pair of half maps")
        }
        let paths = files.map(resolvedPath)
        var loaded = [Result<Volume, Error>?](repeating: nil, count: 2)
        loaded.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: 2) { i in out[i] = Result { try self.read(paths[i]) } }
        }
        let (h1, h2) = try HalfMapPair.checked(try loaded[0]!.get(), try loaded[1]!.get(), paths: (paths[0], paths[1]))
        if lastUse[r.description] != nil { pairs[r.description] = (h1, h2) }
        return (h1, h2)
    }

    func number(_ r: PlanReference) throws -> Quantity {
        guard let numbers = cellNumbers[r.source] else { throw MapbookError("cell '\(r.source)' has no results") }
        guard let q = numbers[r.output] else { throw MapbookError("\(r) was not made by cell '\(r.source)' in this configuration") }
        return q
    }

    func label(_ r: PlanReference) -> String {
        if r.isDataset {
            let name = r.output.replacingOccurrences(of: "_", with: " ")
            if let p = plan.dataset.path(of: r.output), r.output != "half_maps" { return "\(name) (\((p as NSString).lastPathComponent))" }
            return name
        }
        return "\(r.output.replacingOccurrences(of: "_", with: " ")) (\(r.source))"
    }

    func describe(_ r: PlanReference) -> String {
        if r.isDataset { return label(r) }
        guard let cell = plan.cell(id: r.source),
              let spec = type(of: cell.cell).outputs.first(where: { $0.name == r.output }) else { return r.description }
        return spec.help
    }

    func path(_ r: PlanReference) -> String? {
        if r.isDataset { return plan.dataset.path(of: r.output).map(resolvedPath) }
        return cellMapFiles[r.source]?[r.output]
    }

    private func read(_ path: String) throws -> Volume {
        var v = try MRCFile.read(path: path).volume
        if let s = plan.dataset.voxelSize { v.grid.voxelSize = SIMD3(repeating: s) }
        return v
    }
}

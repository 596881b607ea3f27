import Foundation
import MapBoxing
import MapbookCore
import MapModel
import Notebook

/// `kind: map_box` — a box cut out of the dataset's maps (phenix.map_box): around the model or a
/// selection of it, a mask, a density threshold or given bounds, optionally reduced to the
/// unique part of a symmetric map. Later cells work on the boxed region through its outputs.
public struct BoxCell: NotebookCell {
    /// The map; nil for the average of the half maps.
    public var map: PlanReference?
    /// The half maps, boxed identically.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// A mask, boxed identically (and the region, unless something else chooses it).
    public var mask: PlanReference?
    /// The model; nil until resolved (the dataset's when it has one).
    public var model: PlanReference?
    /// How the box is chosen and placed.
    public var parameters = BoxParameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey { case map, halfMaps = "half_maps", mask, model }

    /// The name written as `kind:` in plans.
    public static let kind = "map_box"
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Cut a box out of the maps around the model, a selection, a mask, a threshold or bounds (phenix.map_box); later cells use the boxed maps."
    /// Copies and a soft mask: next to nothing.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 2)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Box"
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("map", default: "the average of the half maps", "the map to box (a map reference)", shownInStarterPlan: false),
        CellOption("half_maps", default: "dataset.half_maps", "the half maps, boxed identically"),
        CellOption("mask", default: "none", "a mask, boxed identically; chooses the region unless bounds, a selection or a threshold do", shownInStarterPlan: false),
        CellOption("model", default: "dataset.model if the dataset has one", "the model: chooses the region unless something else does", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("map", .map, "the boxed map"),
        CellOutputSpec("half_map_1", .map, "the boxed half map 1"),
        CellOutputSpec("half_map_2", .map, "the boxed half map 2"),
        CellOutputSpec("mask", .map, "the boxed mask (when a mask is given)"),
        CellOutputSpec("voxels", .number, "voxels in the box"),
        CellOutputSpec("kept_fraction", .number, "share of the map's voxels in the box"),
    ]

    /// Decodes the inputs and the parameters.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        map = try c.decodeIfPresent(PlanReference.self, forKey: .map)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        mask = try c.decodeIfPresent(PlanReference.self, forKey: .mask)
        model = try c.decodeIfPresent(PlanReference.self, forKey: .model)
        parameters = try BoxParameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(map, forKey: .map)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(mask, forKey: .mask)
        try c.encodeIfPresent(model, forKey: .model)
        try parameters.encodeParameters(to: encoder)
    }

    /// The dataset's model when it has one.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if model == nil && dataset.model != nil { model = PlanReference("dataset", "model") }
    }

    /// Map-sized buffers at the peak: the half maps, the map boxed (their average when none
    /// is given), the mask, and the boxed map, halves and mask (at most one box each).
    public var peakMapCopies: Double { 8 }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("half_maps", halfMaps, .halfMaps)]
        if let map { i.append(CellInput("map", map, .map)) }
        if let mask { i.append(CellInput("mask", mask, .map)) }
        if let model { i.append(CellInput("model", model, .file)) }
        return i
    }

    /// Boxes the maps.
    public func run(_ context: CellContext) throws -> CellProduct<BoxRecord> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let names = context.halfMapNames(halfMaps)
        let volume = try map.map { try ModelFitCell.onGrid(context.map($0), of: h1, context.path($0) ?? $0.description) } ?? HalfMapPair.average(h1, h2)
        let maskVolume = try mask.map { try context.map($0) }
        var atoms: AtomicModel? = nil
        if let model {
            guard let path = context.path(model) else { throw MapbookError("the model reference \(model) names no file") }
            atoms = try AtomicModelFile.read(path: path)
        }
        let r = try MapBoxing.run(BoxInputs(map: volume, halfMaps: (h1, h2), mask: maskVolume, model: atoms,
                                            mapName: map.map { context.path($0) ?? $0.description } ?? "the average of the half maps",
                                            halfMapNames: names, maskName: mask.map { context.path($0) ?? $0.description } ?? "the mask",
                                            modelName: model.flatMap { context.path($0) } ?? "the model"),
                                  parameters: parameters, progress: context.progress)
        var maps = ["map": r.map]
        if let (b1, b2) = r.halfMaps { maps["half_map_1"] = b1; maps["half_map_2"] = b2 }
        if let m = r.mask { maps["mask"] = m }
        let box = r.record.box.region
        return CellProduct(result: r.record, numbers: ["voxels": Quantity(Double(box.count), unit: "", digits: 0),
                                                       "kept_fraction": Quantity(Double(box.count) / Double(volume.grid.count), unit: "", digits: 3)],
                           maps: maps)
    }

    /// The frames, shifts and region as tables.
    public func present(_ r: BoxRecord, _ context: PresentationContext) -> CellPresentation {
        func v3(_ v: [Double], _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) }.joined(separator: ", ") }
        func i3(_ v: [Int]) -> String { v.map(String.init).joined(separator: ", ") }
        let rows = [("original", r.originalFrame), ("boxed", r.boxedFrame)].map { name, f in
            [name, f.size.map(String.init).joined(separator: " × "), v3(f.voxelSize, 4), i3(f.nstart), v3(f.origin), v3(f.firstVoxelPosition)]
        }
        let frames = ReportTable(title: "Frames", columns: ["map", "voxels", "voxel size (Å)", "NSTART", "ORIGIN (Å)", "first voxel at (Å)"], rows: rows,
                                 note: "A voxel's position is ORIGIN + (NSTART + index) × voxel size. In the original frame the box overlays the input; moved to the origin, models move by the model shift.")
        var facts = [["region", r.regionFrom], ["first voxel in the original grid", i3(r.voxelShift)], ["model shift (Å)", v3(r.modelShift)],
                     ["padding (Å)", String(format: "%.1f", r.padding)], ["FFT-friendly edges", r.fftFriendly ? "yes" : "no"],
                     ["soft mask", r.softMaskWidth.map { String(format: "edge %.1f Å", $0) } ?? "none"]]
        if r.clampedToMap { facts.append(["padding", "cut at the map's edge"]) }
        if let u = r.unique {
            facts.append(["unique part", "\(u.group)\(u.found ? " (found)" : ""): \(String(format: "%.1f", 100 * u.keptFraction)) % of the voxels kept, the rest zero"])
        }
        let b = r.box.region
        let summary = "A box of \(b.size.x) × \(b.size.y) × \(b.size.z) voxels from voxel (\(i3(r.voxelShift))) of the \(i3(r.originalFrame.size)) map, around the \(r.regionFrom), in the \(r.box.frame == .original ? "original frame (it overlays the input)" : "origin frame (models move by the model shift)")."
        var flags: [String] = []
        if r.unique != nil { flags.append("The boxed maps hold one asymmetric unit only: automatic sharpening refuses them, and whole-map measures (FSC, local resolution) of them describe the unique part.") }
        return CellPresentation(summary: summary, tables: [frames, ReportTable(title: "Box", columns: ["", ""], rows: facts)], flags: flags)
    }
}

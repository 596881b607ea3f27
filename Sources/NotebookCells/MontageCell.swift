import Foundation
import Figures
import MapbookCore
import MapModel
import Notebook

/// Which part of the box a montage's tiles show.
public enum MontageCrop: String, ParameterChoice, Codable, Sendable {
    /// The whole box.
    case box
    /// The box around the mask (its voxels above 1 %, and two voxels more on every side).
    case mask
}

/// `kind: montage` — the central X, Y and Z slices of one or more maps, one row per map, with
/// one grey scale for the whole montage (or one per row), the mask's outline, and the model's
/// atoms near each slice plane.
public struct MontageCell: NotebookCell {
    /// How the montage is drawn.
    public struct Parameters: DeclaredParameters, Equatable {
        /// Lower and upper percentile of the slice values that set the grey range.
        @Parameter("percentiles", .closed(0, 100), "lower and upper percentile of all slice values that set black and white")
        public var percentiles: [Double] = [1, 99]
        /// Express each map in its own standard deviations first.
        @Parameter("standardize", "express each map in its own standard deviations before the shared grey scale")
        public var standardize = true
        /// One grey range for the montage or one per row.
        @Parameter("contrast", "montage: one grey range for every tile; row: one per map, so each map's own structure shows")
        public var contrast = MontageContrast.montage
        /// Whole box or the mask's box.
        @Parameter("crop", "box: tiles show the whole box; mask: the box around the mask (needs a mask), slices through its centre")
        public var crop = MontageCrop.box
        /// How far from a slice plane an atom is drawn.
        @Parameter("atom_distance", .closed(0, 20), unit: "Å", "atoms of the model within this distance of a slice plane are drawn on it")
        public var atomDistance = 1.5
        /// The defaults.
        public init() {}

        /// Two percentiles, lower then upper.
        public func validateTogether() throws {
            guard percentiles.count == 2, percentiles[0] < percentiles[1] else {
                throw ParameterProblem(key: "percentiles", value: percentiles.parameterText, "must be two numbers, lower then upper")
            }
        }
    }

    /// The maps, one row each.
    public var maps: [PlanReference] = []
    /// Row labels (default: the maps' names).
    public var labels: [String]?
    /// The mask whose outline is drawn; nil until resolved (`dataset.mask` when the dataset
    /// has one, else none).
    public var mask: OptionalReference?
    /// The model whose atoms near each plane are drawn; nil until resolved (`dataset.model`
    /// when the dataset has one, else none).
    public var model: OptionalReference?
    /// How the montage is drawn.
    public var parameters = Parameters()

    /// The cell with every default (and no maps).
    public init() {}

    enum CodingKeys: String, CodingKey { case maps, labels, mask, model }

    /// The name written as `kind:` in plans.
    public static let kind = "montage"
    /// Revision 2: the result keeps the slices, and `present` draws the figure. 4: a map
    /// whose cell applied a positive B is labelled "blurred", not "sharpened". 5: mask
    /// outlines, atoms, cropping, and each map's slice-browser stack.
    public static let revision = 5
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Central X, Y and Z slices of one or more maps, one row per map, one grey scale for all."
    /// Slices only: next to nothing in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 1)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Central slices"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("maps", default: nil, "the maps to show, one row each (a list of map references)"),
        CellOption("labels", default: "the maps' names", "row labels, one per map", shownInStarterPlan: false),
        CellOption("mask", default: "dataset.mask if the dataset has one, else none", "the mask whose outline (its 0.5 contour) is drawn on every tile: none or a map reference", shownInStarterPlan: false),
        CellOption("model", default: "dataset.model if the dataset has one, else none", "the model whose atoms near each slice plane are drawn: none or a file reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = []

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (maps, labels) = try LabelledMaps.decode(c, kind: "montage", decoder: decoder)
        mask = try c.decodeIfPresent(OptionalReference.self, forKey: .mask)
        model = try c.decodeIfPresent(OptionalReference.self, forKey: .model)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The maps, labels and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maps, forKey: .maps)
        try c.encodeIfPresent(labels, forKey: .labels)
        try c.encodeIfPresent(mask, forKey: .mask)
        try c.encodeIfPresent(model, forKey: .model)
        try parameters.encodeParameters(to: encoder)
    }

    /// The dataset's mask and model, when it has them.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if mask == nil { mask = .dataset("mask", present: dataset.mask != nil) }
        if model == nil { model = .dataset("model", present: dataset.model != nil) }
    }

    /// Map-sized buffers at the peak: each map shown (read from the cache as the cell comes to
    /// it), the mask, and the contour level's working copy; slices and tiles are small.
    /// Measured with `bench/e2e_512.sh` (six maps): 1.9 maps above maps + 1 at 256³.
    public var peakMapCopies: Double { Double(maps.count) + 3 }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = maps.map { CellInput("maps", $0, .map) }
        if let m = mask?.reference { i.append(CellInput("mask", m, .map)) }
        if let m = model?.reference { i.append(CellInput("model", m, .file)) }
        return i
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<[SliceMontageFigure.Row]> {
        let overlay = try Self.overlay(mask: mask, model: model, crop: parameters.crop == .mask, atomDistance: parameters.atomDistance, context: context)
        var rows: [SliceMontageFigure.Row] = []
        for (i, r) in maps.enumerated() {
            // A label that says "sharpened" (given or made) says "blurred" when the map's cell applied a positive B.
            let label = labels.map { BFactorWording.relabel($0[i], bFactor: BFactorWording.appliedB(of: r, context: context)) }
                ?? BFactorWording.mapLabel(r, context: context)
            let volume = try context.map(r)
            rows.append(SliceMontageFigure.row(label, of: volume, overlay: Self.overlay(overlay, on: volume.grid), standardize: parameters.standardize,
                                               browsable: true))
        }
        return CellProduct(result: rows)
    }

    /// The mask, the model's atoms and the crop region for slice tiles. A crop to the mask
    /// needs a mask.
    static func overlay(mask: OptionalReference?, model: OptionalReference?, crop: Bool, atomDistance: Double, context: CellContext) throws -> MontageOverlay {
        let maskVolume = try mask?.reference.map { try context.map($0) }
        var atoms: [SIMD3<Double>] = []
        if let r = model?.reference {
            guard let path = context.path(r) else { throw MapbookError("the model reference \(r) names no file") }
            atoms = try AtomicModelFile.read(path: path).atoms.map(\.position)
        }
        var region: VoxelRegion?
        if crop {
            guard let m = maskVolume else { throw ParameterProblem(key: "crop", value: "mask", "needs a mask (the dataset has none, or the cell says mask: none)") }
            guard let box = VoxelRegion.bounding(m, above: 0.01, margin: 2) else {
                throw MapbookError("is empty (no voxel above 0.01), so there is nothing to crop to", path: context.path(mask!.reference!) ?? "the mask")
            }
            region = box
        }
        return MontageOverlay(mask: maskVolume, atoms: atoms, atomDistance: atomDistance, region: region)
    }

    /// The overlay for a map on `grid`: the mask and crop only when the mask shares the grid
    /// (a map on another grid is shown whole, without an outline).
    static func overlay(_ o: MontageOverlay, on grid: VoxelGrid) -> MontageOverlay {
        guard let m = o.mask, grid.mismatch(with: m.grid) != nil else { return o }
        return MontageOverlay(mask: nil, atoms: o.atoms, atomDistance: o.atomDistance, region: nil)
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ rows: [SliceMontageFigure.Row], _ context: PresentationContext) -> CellPresentation {
        let result = SliceMontageFigure(title: "Central slices", rows: rows, lowerPercentile: parameters.percentiles[0],
                                        upperPercentile: parameters.percentiles[1], standardized: parameters.standardize, contrast: parameters.contrast)
        let scale = result.standardized ? "each map divided by its own standard deviation after subtracting its mean, then " : ""
        let grey = parameters.contrast == .row
            ? "\(scale)black and white at the \(NiceTicks.format(result.percentiles[0], decimals: 1))–\(NiceTicks.format(result.percentiles[1], decimals: 1)) percentile of each row's slices (ranges under the montage)."
            : "\(scale)black at \(NiceTicks.format(result.lower, decimals: 2))\(result.standardized ? "σ" : "") and white at \(NiceTicks.format(result.upper, decimals: 2))\(result.standardized ? "σ" : ""), the \(NiceTicks.format(result.percentiles[0], decimals: 1))–\(NiceTicks.format(result.percentiles[1], decimals: 1)) percentile of all slices shown, the same for every tile."
        let place = parameters.crop == .mask ? "Slices through the centre of the mask's box, cropped to it" : "Central slices through the box"
        var overlays = ""
        if rows.contains(where: { $0.outlines != nil }) { overlays += " Orange line: the mask's outline (its 0.5 contour)." }
        if rows.contains(where: { $0.atoms != nil }) {
            overlays += " Blue squares: the model's atoms within \(NiceTicks.format(parameters.atomDistance, decimals: 1)) Å of each slice plane."
        }
        let caption = "\(place), one row per map. X: the y–z plane with y to the right and z up; Y: x right, z up; Z: x right, y up.\(overlays) Grey scale: \(grey)"
        // The data file describes the montage (rows, slices, grey range); the pixels are the
        // maps' own voxels and would only bloat the JSON.
        struct Summary: Encodable {
            struct Row: Encodable { var label: String; var slices: [String]; var sizes: [[Int]] }
            var rows: [Row]; var black: Double; var white: Double; var percentiles: [Double]; var standardized: Bool
        }
        let summary = Summary(rows: result.rows.map { .init(label: $0.label, slices: $0.slices.map { "\($0.label) (\($0.orientation))" }, sizes: $0.slices.map { [$0.width, $0.height] }) },
                              black: result.lower, white: result.upper, percentiles: result.percentiles, standardized: result.standardized)
        return CellPresentation(figures: [PresentedFigure(name: "montage", title: "Central slices", caption: caption, figure: result, data: summary)])
    }
}

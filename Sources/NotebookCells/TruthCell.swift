import Foundation
import Figures
import FourierEngine
import MapbookCore
import MapModel
import Notebook
import Simulation

/// `kind: truth` — simulated data only: how close each map is to the known truth. The
/// sharpening harness's score: the correlation with the truth inside the mask (and inside
/// the better- and worse-resolved halves of the molecule, from the true local resolution),
/// and the FSC with the truth (`TruthScore`).
public struct TruthCell: NotebookCell {
    /// The maps to score, in the table's order.
    public var maps: [PlanReference] = []
    /// Row labels (default: the maps' names).
    public var labels: [String]?
    /// The noise-free truth.
    public var truth = PlanReference("dataset", "truth")
    /// Where to score (≥ 0.5); default the dataset's mask.
    public var mask: PlanReference?
    /// A local-resolution map splitting the mask at its median (default the dataset's true
    /// local resolution, when it has one).
    public var regions: PlanReference?

    /// The cell with every default (no maps: a plan must list some).
    public init() {}

    enum CodingKeys: String, CodingKey { case maps, labels, truth, mask, regions }

    /// The name written as `kind:` in plans.
    public static let kind = "truth"
    /// Revision 2: the whole-box FSC with the truth joins the masked one.
    public static let revision = 2
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Simulated data: each map's correlation with the known truth (inside the mask and its better- and worse-resolved halves) and FSC with the truth."
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Against the truth"
    /// Two FFTs per map.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 2)
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("maps", default: "(required)", "the maps to score (a list of map references)"),
        CellOption("labels", default: "the maps' names", "row labels, one per map", shownInStarterPlan: false),
        CellOption("truth", default: "dataset.truth", "the noise-free truth (a map reference)", shownInStarterPlan: false),
        CellOption("mask", default: "dataset.mask", "where to score: voxels at or above 0.5 (a map reference)", shownInStarterPlan: false),
        CellOption("regions", default: "dataset.true_local_resolution if the dataset has one, else none",
                   "a local-resolution map (Å) that splits the mask at its median into a better- and a worse-resolved half", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("best_correlation", .number, "the highest correlation with the truth inside the mask"),
        CellOutputSpec("best_map", .text, "the map with that correlation"),
    ]

    /// Decodes the cell's keys; maps are required and labels must match them.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.maps) else { throw PlanProblem("a truth cell needs maps: a list of map references", at: decoder.planPosition) }
        maps = try c.decode([PlanReference].self, forKey: .maps)
        if maps.isEmpty { throw PlanProblem("maps is empty; list at least one map reference", at: try c.superDecoder(forKey: .maps).planPosition) }
        labels = try c.decodeIfPresent([String].self, forKey: .labels)
        if let l = labels, l.count != maps.count {
            throw PlanProblem("labels has \(l.count) entries for \(maps.count) maps", at: try c.superDecoder(forKey: .labels).planPosition)
        }
        truth = try c.decodeIfPresent(PlanReference.self, forKey: .truth) ?? truth
        mask = try c.decodeIfPresent(PlanReference.self, forKey: .mask)
        regions = try c.decodeIfPresent(PlanReference.self, forKey: .regions)
    }

    /// The inputs, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maps, forKey: .maps)
        try c.encodeIfPresent(labels, forKey: .labels)
        try c.encode(truth, forKey: .truth)
        try c.encodeIfPresent(mask, forKey: .mask)
        try c.encodeIfPresent(regions, forKey: .regions)
    }

    /// The dataset's mask and true local resolution when it has them.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if mask == nil && dataset.mask != nil { mask = PlanReference("dataset", "mask") }
        if regions == nil && dataset.trueLocalResolution != nil { regions = PlanReference("dataset", "true_local_resolution") }
    }

    /// A mask is required: the score is the molecule's, not the solvent's.
    public func validate() throws {
        if mask == nil { throw PlanProblem("a truth cell needs a mask: give mask: or a mask in the dataset block", at: nil) }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = maps.map { CellInput("maps", $0, .map) } + [CellInput("truth", truth, .map)]
        if let m = mask { i.append(CellInput("mask", m, .map)) }
        if let r = regions { i.append(CellInput("regions", r, .map)) }
        return i
    }

    /// The truth, the mask, the regions map and one map at a time, plus the transforms and
    /// the masked copies of the scores (FSC with the truth, inside the mask and over the box).
    /// Measured with `bench/e2e_512.sh`: 6 maps above an earlier count of 8 at 256³; 15.
    public var peakMapCopies: Double { 15 }

    /// One scored map.
    public struct Row: Codable, Sendable {
        /// Its label in the table and figure.
        public var label: String
        /// Its reference.
        public var reference: String
        /// Its scores.
        public var score: TruthScore
    }

    /// Every map's score, and where the regions split.
    public struct Result: Codable, Sendable {
        /// One row per map, in the plan's order.
        public var rows: [Row]
        /// The median local resolution that splits the mask (Å); nil without regions.
        public var regionMedian: Double?
        /// Nyquist (Å), the figure's end.
        public var nyquist: Double
    }

    /// Scores every map.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let truthMap = try context.map(truth)
        let maskMap = try context.map(mask!)
        var split: [[Bool]] = [], median: Double? = nil
        if let r = regions {
            let s = try TruthScore.regionsByResolution(try context.map(r), mask: maskMap)
            if !s.regions.isEmpty { split = s.regions; median = s.median }
        }
        var rows: [Row] = []
        for (i, r) in maps.enumerated() {
            context.progress.step("Scoring \(r) against the truth")
            let score = try TruthScore.score(try context.map(r), truth: truthMap, mask: maskMap, regions: split)
            rows.append(Row(label: labels?[i] ?? BFactorWording.mapLabel(r, context: context), reference: r.description, score: score))
        }
        let best = rows.max { $0.score.correlation < $1.score.correlation }!
        return CellProduct(result: Result(rows: rows, regionMedian: median, nyquist: 2 * truthMap.grid.voxelSize.max()),
                           numbers: ["best_correlation": Quantity(best.score.correlation, unit: "", digits: 3),
                                     "best_map": Quantity(.nan, unit: "", text: best.label)])
    }

    /// The table of scores and the FSC-with-truth figure.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let hasRegions = result.regionMedian != nil
        var columns = ["Map", "CC in mask"]
        if let m = result.regionMedian { columns += [String(format: "CC, local res. ≤ %.2f Å", m), String(format: "CC, local res. > %.2f Å", m)] }
        columns += ["FSC_truth 0.5", "FSC_truth 0.143"]
        let best = result.rows.map(\.score.correlation).max() ?? .nan
        let rows = result.rows.map { row -> [String] in
            var r = [row.label, String(format: "%.3f%@", row.score.correlation, row.score.correlation == best ? " (best)" : "")]
            if hasRegions { r += row.score.regionCorrelations.map { $0.isFinite ? String(format: "%.3f", $0) : "n/a" } }
            r += [String(format: "%.2f Å", row.score.resolutionHalf), String(format: "%.2f Å", row.score.resolution143)]
            return r
        }
        let curves = result.rows.enumerated().map { i, row in
            FSCFigure.Curve(name: row.label, role: .other, frequency: row.score.fsc.frequency, fsc: row.score.fsc.fsc)
        }
        let figure = FSCFigure(title: "FSC with the truth", curves: curves,
                               thresholds: [.init(constant: 0.5, name: "0.5"), .init(constant: 0.143, name: "0.143")],
                               crossings: [], maxFrequency: 1 / result.nyquist)
        let winner = result.rows.first { $0.score.correlation == best }
        return CellPresentation(
            summary: winner.map { String(format: "Closest to the truth inside the mask: %@ (CC %.3f).", $0.label, $0.score.correlation) },
            figures: [PresentedFigure(name: "fsc_truth", title: "FSC with the truth",
                                      caption: "FSC of each map with the noise-free truth, both multiplied by the mask (no phase randomisation: the truth holds no noise for the mask to correlate). Higher and further out is closer to the truth.",
                                      figure: figure)],
            tables: [ReportTable(title: "Against the truth", columns: columns, rows: rows,
                                 note: "CC: Pearson correlation with the truth over the mask's voxels at or above 0.5" + (hasRegions ? ", and over the halves of them split at the median true local resolution" : "") + ". FSC_truth: where the FSC with the truth falls through 0.5 and 0.143 (interpolated).")],
            dataFiles: [DataFile(name: "truth.tsv", data: Data(Self.table(result).utf8)),
                        DataFile(name: "truth_shells.tsv", data: Data(Self.shellTable(result).utf8))])
    }

    /// The FSC with the truth shell by shell, masked and over the whole box, one column of each
    /// per map (what the harness compares density modification with the average by).
    static func shellTable(_ result: Result) -> String {
        guard let first = result.rows.first else { return "" }
        var text = (["shell", "frequency"] + result.rows.map { "masked: " + $0.label } + result.rows.map { "box: " + $0.label })
            .joined(separator: "\t") + "\n"
        for i in 0..<first.score.fsc.shellCount {
            let values = result.rows.map { $0.score.fsc.fsc[i] } + result.rows.map { $0.score.boxFSC.fsc[i] }
            text += ([String(i), String(format: "%.5f", first.score.fsc.frequency[i])] + values.map { $0.isFinite ? String(format: "%.4f", $0) : "" })
                .joined(separator: "\t") + "\n"
        }
        return text
    }

    /// Every score as tab-separated text, one row per map (what the harness gathers across
    /// datasets): label, reference, CC in the mask, in the better- and worse-resolved halves,
    /// the FSC-with-truth crossings in Å, and the whole-box FSC's 0.5 crossing.
    static func table(_ result: Result) -> String {
        var text = "map\treference\tcc_mask\tcc_better\tcc_worse\tfsc_truth_0.5_A\tfsc_truth_0.143_A\tfsc_truth_box_0.5_A\n"
        for row in result.rows {
            let s = row.score
            let regions = s.regionCorrelations.count == 2 ? s.regionCorrelations : [.nan, .nan]
            text += ([row.label, row.reference] + ([s.correlation] + regions + [s.resolutionHalf, s.resolution143, s.boxResolutionHalf]).map { $0.isFinite ? String(format: "%.4f", $0) : "" })
                .joined(separator: "\t") + "\n"
        }
        return text
    }
}

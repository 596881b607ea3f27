import Foundation
import Figures
import MapbookCore
import Notebook

/// `kind: benchmark` — the table of one `bench/all.sh` run (`bench/results.tsv`) as a report:
/// wall time, peak memory, the peer's time and the FFT floor for every work at every box
/// size, the growth exponents, and a log–log scaling figure. It reads a table, not maps: a
/// plan whose dataset names only `benchmark:` is complete.
public struct BenchmarkCell: NotebookCell {
    /// The benchmark table.
    public var results = PlanReference("dataset", "benchmark")

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey { case results }

    /// The name written as `kind:` in plans.
    public static let kind = "benchmark"
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "The benchmark table of bench/all.sh (bench/results.tsv): times, peak memory, peer and FFT-floor ratios, growth exponents and a log-log scaling figure."
    /// Reads a small text table: nothing to speak of in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 0.01)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Benchmark"
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("results", default: "dataset.benchmark", "the benchmark table written by bench/all.sh (bench/results.tsv; a reference)"),
    ]
    /// No values for later cells: the numbers are the table's.
    public static let outputs: [CellOutputSpec] = []

    /// Decodes the cell's keys; `results` defaults to `dataset.benchmark`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        results = try c.decodeIfPresent(PlanReference.self, forKey: .results) ?? results
    }

    /// It holds no map: the table of a run is a few kilobytes.
    public var peakMapCopies: Double { 0 }

    /// The references the cell reads.
    public var inputs: [CellInput] { [CellInput("results", results, .file)] }

    /// Reads and checks the table.
    public func run(_ context: CellContext) throws -> CellProduct<BenchmarkResults> {
        guard let path = context.path(results) else { throw MapbookError("the benchmark reference \(results) names no file") }
        return CellProduct(result: try BenchmarkResults.read(path: path))
    }

    /// The scaling figure, the table as bench/results.md has it, the exponents, and the run's
    /// facts at a glance.
    public func present(_ result: BenchmarkResults, _ context: PresentationContext) -> CellPresentation {
        let figure = Self.scalingFigure(result)
        let threads = result.fact("threads").map { ", \($0) threads" } ?? ""
        let summary = "\(result.works.count) works at N = \(Self.list(result.sizes.map(String.init)))\(threads), each timed once warm by bench/all.sh"
            + (result.rows.contains { $0.peerName != nil } ? ", beside the peer where one exists" : "")
            + "; mapbook / floor is the time over the FFT floor, the transforms the run did at their measured times."
        let notes = result.facts.filter { $0.key == "note" }.map(\.value)
        let main = ReportTable(title: "Wall time, peak memory, peer and FFT floor", columns: Self.mainColumns,
                               rows: result.orderedRows.map(Self.mainRow),
                               note: (["peak / map: peak resident memory over one float32 map of N³ voxels (N³·4 bytes). peer / mapbook: how many times faster mapbook ran. mapbook / floor: mapbook's time over its FFT floor."] + notes).joined(separator: " "))
        let exponents = ReportTable(title: "Growth exponent", columns: ["work", "mapbook: time ∝ N^k", "peer: time ∝ N^k"],
                                    rows: result.works.map { w in [w, Self.exponentText(result.growthExponent(w, .mapbook)), Self.exponentText(result.growthExponent(w, .peer))] },
                                    note: "k: least-squares slope of log time on log N over the sizes measured (2 or more).")
        let glance = result.facts.filter { $0.key != "note" }.map { f in
            GlanceRow("Benchmark " + f.key, f.value, context.label(results), priority: GlanceRow.Priority.dataset)
        }
        return CellPresentation(summary: summary,
                                figures: [PresentedFigure(name: "scaling", title: "Scaling with box size", caption: Self.caption(figure, result), figure: figure)],
                                tables: [main, exponents], glance: glance)
    }

    // MARK: table

    /// The columns of bench/results.md's table.
    static let mainColumns = ["work", "N", "mapbook s", "peak MiB", "peak / map", "peer", "peer s", "peer MiB", "peer / mapbook",
                              "transforms", "FFT floor s", "mapbook / floor"]

    /// One row as bench/results.md prints it: seconds to 0.01, MiB whole, ratios to 0.1.
    static func mainRow(_ r: BenchmarkResults.Row) -> [String] {
        let failed = BenchmarkResults.failedText
        var cells = [r.work, String(r.size)]
        if let s = r.mapbook.seconds {
            cells += [fixed(s, 2), r.mapbook.peakMiB.map { fixed($0, 0) } ?? "", r.peakPerMap.map { fixed($0, 1) } ?? ""]
        } else {
            cells += [failed, "", ""]
        }
        if let name = r.peerName, let p = r.peer {
            cells += [name, p.seconds.map { fixed($0, 2) } ?? failed, p.peakMiB.map { fixed($0, 0) } ?? "", r.peerRatio.map(times) ?? ""]
        } else {
            cells += ["—", "", "", ""]
        }
        cells += [r.transforms.map(String.init) ?? "", r.floorSeconds.map { fixed($0, 2) } ?? "", r.floorRatio.map(times) ?? ""]
        return cells
    }

    static func fixed(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }
    static func times(_ ratio: Double) -> String { fixed(ratio, 1) + "×" }
    static func exponentText(_ k: Double?) -> String { k.map { fixed($0, 2) } ?? "—" }

    /// "64, 128, 256 and 384".
    static func list(_ items: [String]) -> String {
        items.count > 1 ? items.dropLast().joined(separator: ", ") + " and " + items.last! : items.joined()
    }

    // MARK: figure

    /// Each work's mapbook, peer and floor times, with the fitted exponents.
    static func scalingFigure(_ result: BenchmarkResults) -> ScalingFigure {
        var series: [ScalingFigure.Series] = []
        for work in result.works {
            let rows = result.rows(of: work)
            func add(_ role: ScalingFigure.Role, _ program: String, _ points: [(size: Int, seconds: Double)], _ k: Double?) {
                guard !points.isEmpty else { return }
                series.append(.init(work: work, role: role, program: program, sizes: points.map { Double($0.size) }, seconds: points.map(\.seconds), exponent: k))
            }
            add(.mapbook, "mapbook", result.points(work, .mapbook), result.growthExponent(work, .mapbook))
            add(.peer, rows.compactMap(\.peerName).first ?? "peer", result.points(work, .peer), result.growthExponent(work, .peer))
            add(.floor, "FFT floor", rows.compactMap { r in r.floorSeconds.flatMap { $0 > 0 ? (r.size, $0) : nil } }, nil)
        }
        return ScalingFigure(title: "Wall time against box size", works: result.works, series: series)
    }

    /// What the figure shows, which colour is which work, and where the times come from.
    static func caption(_ figure: ScalingFigure, _ result: BenchmarkResults) -> String {
        let colours = figure.works.enumerated().map { i, w in
            "\(w) \(OkabeIto.name(of: ScalingFigure.style(.mapbook, workIndex: i).color) ?? "colour \(i + 1)")"
        }
        let peers = Set(result.rows.compactMap(\.peerName)).sorted()
        let machine = [result.fact("machine"), result.fact("threads").map { "\($0) threads" }].compactMap { $0 }.joined(separator: ", ")
        return "Wall time against box edge N, both axes logarithmic: time ∝ N^k is a straight line of slope k. "
            + "One colour per work (\(colours.joined(separator: ", "))): mapbook solid with filled dots"
            + (peers.isEmpty ? "" : "; the peer (\(peers.joined(separator: ", "))) dashed with open dots")
            + "; mapbook's FFT floor (its 3-D transforms, each at its shape's time measured in the same run) dotted. "
            + "k in the legend: least-squares slope of log time on log N. One warm run per point"
            + (machine.isEmpty ? "." : " (\(machine)).")
    }
}

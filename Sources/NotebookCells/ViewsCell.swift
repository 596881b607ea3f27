import Foundation
import Figures
import FourierEngine
import MapbookCore
import MapModel
import Notebook

/// `kind: views` — the views of each map that EMDB's validation pages show: projections along
/// x, y and z, central and largest-variance slices, the density histogram (log scale), the
/// volume enclosed against the contour level with the recommended level marked, and the
/// rotationally averaged power spectrum (log scale, against 1/Å with Å on top).
///
/// Everything the figures need is computed by `run` into a small `Result` (images of at most
/// `imageLimit` pixels a side, a hundred-point curve per plot), so `present` needs no map.
public struct ViewsCell: NotebookCell {
    /// How the views are computed.
    public struct Parameters: DeclaredParameters, Equatable {
        /// Bins of the histogram.
        @Parameter("histogram_bins", .closed(10, 1000), "bins of the density histogram, from the lowest to the highest density")
        public var histogramBins = 100
        /// Levels of the volume-against-contour curve.
        @Parameter("contour_levels", .closed(10, 1000), "contour levels at which the enclosed volume is computed")
        public var contourLevels = 100
        /// The defaults.
        public init() {}
    }

    /// One map's views.
    public struct MapViews: Codable, Sendable {
        /// The map's name.
        public var label: String
        /// Sums along x, y and z (density × Å).
        public var projections: [SliceImage]
        /// The central sections (σ), with the map's browser stack.
        public var central: SliceMontageFigure.Row
        /// The sections of largest variance (σ).
        public var largestVariance: SliceMontageFigure.Row
        /// Histogram: bin centres (σ) and voxel counts.
        public var histogram: MapCurve
        /// Contour levels (σ) and the volume enclosed at each (Å³).
        public var volumeContour: MapCurve
        /// The recommended contour level (in the map's units) and its source.
        public var contour: RecommendedContour
        /// The recommended level in σ.
        public var contourSigma: Double
        /// Shell frequencies (1/Å) and mean power per shell.
        public var spectrum: MapCurve
        /// The surface along x, y and z at the level enclosing the same volume as every other
        /// map of the cell (the first map's recommended contour's).
        public var surface: SurfaceViewFigure.Surface
    }

    /// The cell's result: every map's views.
    public struct Result: Codable, Sendable {
        /// Per map, in plan order.
        public var maps: [MapViews]
    }

    /// The maps.
    public var maps: [PlanReference] = []
    /// Labels (default: the maps' names).
    public var labels: [String]?
    /// The sequence whose molecular volume sets the recommended contour; nil until resolved
    /// (`dataset.sequence` when the dataset has one, else none: the solvent-noise rule).
    public var sequence: OptionalReference?
    /// The parameters.
    public var parameters = Parameters()

    /// The cell with every default (and no maps).
    public init() {}

    enum CodingKeys: String, CodingKey { case maps, labels, sequence }

    /// The name written as `kind:` in plans.
    public static let kind = "views"
    /// Revision 1.
    /// 2: surface views.
    public static let revision = 2
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "EMDB-style views of each map: projections, central and largest-variance slices, density histogram, volume against contour, power spectrum."
    /// Sums, sorts and one FFT per map.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 3)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Map views"
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("maps", default: nil, "the maps to show (a list of map references)"),
        CellOption("labels", default: "the maps' names", "a label per map", shownInStarterPlan: false),
        CellOption("sequence", default: "dataset.sequence if the dataset has one, else none", "the sequence whose molecular volume sets the recommended contour level: none or a file reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = []
    /// The figures' size: smaller than a plot's usual, so that six figures per cell keep a
    /// report light.
    public static let figureSize = FigureSize(480, 320)
    /// Images are kept at most this many pixels a side.
    public static let imageLimit = 64

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (maps, labels) = try LabelledMaps.decode(c, kind: "views", decoder: decoder)
        sequence = try c.decodeIfPresent(OptionalReference.self, forKey: .sequence)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maps, forKey: .maps)
        try c.encodeIfPresent(labels, forKey: .labels)
        try c.encodeIfPresent(sequence, forKey: .sequence)
        try parameters.encodeParameters(to: encoder)
    }

    /// The dataset's sequence, when it has one.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if sequence == nil { sequence = .dataset("sequence", present: dataset.sequence != nil) }
    }

    /// Map-sized buffers at the peak: each map (read as the cell comes to it), plus for the
    /// map in hand a sorted copy of its values (histogram, contour curve) and its power
    /// spectrum's transform (a half spectrum: two maps' worth of floats).
    public var peakMapCopies: Double { Double(maps.count) + 3 }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = maps.map { CellInput("maps", $0, .map) }
        if let s = sequence?.reference { i.append(CellInput("sequence", s, .file)) }
        return i
    }

    /// Computes every map's views.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        var composition: SequenceComposition?
        if let s = sequence?.reference {
            guard let path = context.path(s) else { throw MapbookError("\(s) names no file") }
            composition = try SequenceComposition.read(path: path)
        }
        var out: [MapViews] = []
        var enclosed: Double? = nil   // the first map's recommended volume, for every surface
        for (i, r) in maps.enumerated() {
            context.progress.step("Views of \(context.label(r))")
            let label = labels.map { BFactorWording.relabel($0[i], bFactor: BFactorWording.appliedB(of: r, context: context)) }
                ?? BFactorWording.mapLabel(r, context: context)
            let views = try Self.views(of: try context.map(r), label: label, sequence: composition, enclosing: enclosed, parameters: parameters)
            enclosed = enclosed ?? views.contour.enclosedVolume
            out.append(views)
        }
        return CellProduct(result: Result(maps: out))
    }

    /// The views of one map.
    /// The surface is drawn at the level enclosing `enclosing` Å³ (the map's recommended
    /// level when nil).
    public static func views(of volume: Volume, label: String, sequence: SequenceComposition?, enclosing: Double? = nil,
                             parameters: Parameters = Parameters()) throws -> MapViews {
        let stats = volume.statistics
        let mean = stats.mean, sd = stats.rms > 0 ? stats.rms : 1
        let contour = RecommendedContour.of(volume, sequence: sequence)
        let surfaceLevel = enclosing.map { RecommendedContour.enclosing(volume: $0, in: volume, source: contour.source).level } ?? contour.level
        let sorted = volume.voxels.array.sorted()
        var central = SliceMontageFigure.row("\(label): central", of: volume, browsable: true)
        central.slices = central.slices.map { $0.reduced(toAtMost: imageLimit) }
        var varied = SliceMontageFigure.row("\(label): largest variance", of: volume, at: VolumeSections.largestVariancePosition(volume))
        varied.slices = varied.slices.map { $0.reduced(toAtMost: imageLimit) }
        return MapViews(label: label, projections: VolumeSections.projections(volume).map { $0.reduced(toAtMost: imageLimit) },
                        central: central, largestVariance: varied,
                        histogram: histogram(sorted, mean: mean, sd: sd, bins: parameters.histogramBins, name: label),
                        volumeContour: volumeContour(sorted, grid: volume.grid, mean: mean, sd: sd, recommended: contour.level,
                                                     levels: parameters.contourLevels, name: label),
                        contour: contour, contourSigma: (Double(contour.level) - mean) / sd,
                        spectrum: powerSpectrum(volume, name: label),
                        surface: try SurfaceViewFigure.surface(of: volume, level: surfaceLevel))
    }

    /// Voxel counts in `bins` equal bins from the lowest to the highest value, in σ.
    static func histogram(_ sorted: [Float], mean: Double, sd: Double, bins: Int, name: String) -> MapCurve {
        guard let lo = sorted.first.map({ (Double($0) - mean) / sd }), let hi = sorted.last.map({ (Double($0) - mean) / sd }), hi > lo else {
            return MapCurve(name: name, x: [], y: [])
        }
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in sorted { counts[min(bins - 1, Int(((Double(v) - mean) / sd - lo) / width))] += 1 }
        return MapCurve(name: name, x: (0..<bins).map { lo + (Double($0) + 0.5) * width }, y: counts.map { Optional($0) })
    }

    /// The volume (Å³) of the voxels at or above each of `levels` contour levels (σ), from
    /// the level enclosing a quarter of the box (or just below the recommended level, if that
    /// is lower) to the highest value; the recommended level itself is one of the points, so
    /// the curve passes exactly through it.
    static func volumeContour(_ sorted: [Float], grid: VoxelGrid, mean: Double, sd: Double, recommended: Float, levels: Int, name: String) -> MapCurve {
        guard let top = sorted.last, let bottom = sorted.first else { return MapCurve(name: name, x: [], y: []) }
        let voxel = grid.voxelVolume
        let quarter = sorted[sorted.count * 3 / 4]
        let start = min(quarter, recommended - 0.1 * (top - recommended))
        let lo = max(bottom, start)
        var raw = (0..<levels).map { lo + (top - lo) * Float($0) / Float(levels - 1) }
        raw.append(recommended)
        raw.sort()
        func enclosed(_ level: Float) -> Double {
            // The first index at or above the level, by bisection.
            var a = 0, b = sorted.count
            while a < b { let m = (a + b) / 2; if sorted[m] < level { a = m + 1 } else { b = m } }
            return Double(sorted.count - a) * voxel
        }
        return MapCurve(name: name, x: raw.map { (Double($0) - mean) / sd }, y: raw.map { Optional(enclosed($0)) })
    }

    /// Mean |F|² per Fourier shell (shells 1 to the last complete one) against frequency (1/Å).
    static func powerSpectrum(_ volume: Volume, name: String) -> MapCurve {
        let shells = FourierShells(grid: volume.grid)
        let power = shells.meanPower(FFT.forward(volume))
        let kept = (1..<min(power.count, shells.shellCount))
        return MapCurve(name: name, x: kept.map { shells.frequency($0) }, y: kept.map { power[$0] > 0 ? power[$0] : nil })
    }

    /// Figures for the report: projections and slices, the views of the surface
    /// (`surfaceFigures`), then the histogram, the volume against contour and the power spectrum.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        CellPresentation(figures: imageFigures(result) + surfaceFigures(result, context) + plotFigures(result))
    }

    /// The surfaces: every map seen along x, y and z, all enclosing the first map's recommended
    /// volume, so maps differ only in shape.
    public func surfaceFigures(_ result: Result, _ context: PresentationContext) -> [PresentedFigure] {
        guard let first = result.maps.first else { return [] }
        let figure = SurfaceViewFigure(title: "Surfaces at the recommended contour", maps: result.maps.map { .init(label: $0.label, surface: $0.surface) }, colorBar: nil)
        return [PresentedFigure(name: "surfaces", title: "Surfaces at the recommended contour",
                                caption: String(format: "Each map seen along x, y and z (x: y right, z up; y: x right, z up; z: x right, y up), at the level that encloses %.0f Å³: the recommended contour of %@ (%@)%@.",
                                                first.surface.enclosedVolume, first.label, first.contour.explanation,
                                                result.maps.count > 1 ? "; the other maps at the level enclosing the same volume" : ""),
                                figure: figure, data: ["levels": result.maps.map { String($0.surface.level) }])]
    }

    /// The projections and the slices, one row per map (two for the slices).
    func imageFigures(_ result: Result) -> [PresentedFigure] {
        let projections = SliceMontageFigure(title: "Projections", rows: result.maps.map { SliceMontageFigure.Row(label: $0.label, slices: $0.projections) },
                                             lowerPercentile: 0.5, upperPercentile: 99.5, standardized: false, contrast: .row, width: Self.figureSize.width)
        let slices = SliceMontageFigure(title: "Central and largest-variance slices", rows: result.maps.flatMap { [$0.central, $0.largestVariance] },
                                        standardized: true, width: Self.figureSize.width)
        struct Summary: Encodable { var label: String; var largestVariance: [String]; var sizes: [[Int]] }
        let summary = result.maps.map { Summary(label: $0.label, largestVariance: $0.largestVariance.slices.map(\.label), sizes: $0.projections.map { [$0.width, $0.height] }) }
        // One figure for both: one file instead of two, which keeps the report light.
        return [
            PresentedFigure(name: "images", title: "Projections, central and largest-variance slices",
                            caption: "Top: projections of each map along x, y and z; every pixel is the sum of the voxels along the axis times the voxel length (density × Å), grey range per row its 0.5–99.5 percentile. Below: for each map, its central sections and the sections of largest variance (the planes along x, y and z whose densities vary most, labelled with their index), each map in its own standard deviations about its mean, black and white at the 1–99 percentile of all slices shown. Orientation: X shows y to the right and z up; Y x right, z up; Z x right, y up. Images of more than \(Self.imageLimit) voxels a side are averaged down to that.",
                            figure: FigureColumn([projections, slices]), data: summary),
        ]
    }

    /// The histogram, the volume against contour and the power spectrum, all maps overlaid.
    func plotFigures(_ result: Result) -> [PresentedFigure] {
        let histogram = DensityHistogramFigure(title: "Density histogram",
                                               curves: result.maps.map { c in MapCurve(name: c.label, x: c.histogram.x, y: c.histogram.y.map { $0.flatMap { $0 > 0 ? log10($0) : nil } }) },
                                               densityLabel: "density (standard deviations of each map about its mean)", size: Self.figureSize)
        let largest = result.maps.flatMap { $0.volumeContour.y.compactMap { $0 } }.max() ?? 0
        let nm = largest > 1e5
        let unit = nm ? 1000.0 : 1
        let target = result.maps.compactMap(\.contour.targetVolume).first
        let volume = VolumeContourFigure(title: "Volume against contour level",
                                         curves: result.maps.map { MapCurve(name: $0.label, x: $0.volumeContour.x, y: $0.volumeContour.y.map { $0.map { $0 / unit } }) },
                                         marks: result.maps.map { .init(level: $0.contourSigma, volume: $0.contour.enclosedVolume / unit) },
                                         targetVolume: target.map { $0 / unit }, volumeUnit: nm ? "nm³" : "Å³",
                                         levelLabel: "contour level (standard deviations of each map)", size: Self.figureSize)
        let spectrum = PowerSpectrumFigure(title: "Rotationally averaged power spectrum",
                                           curves: result.maps.map { MapCurve(name: $0.label, x: $0.spectrum.x, y: $0.spectrum.y.map { $0.map(log10) }) },
                                           size: Self.figureSize)
        let levels = result.maps.map { "\($0.label): \(NiceTicks.format($0.contourSigma, decimals: 2))σ (\($0.contour.explanation))" }.joined(separator: "; ")
        // Three plots in one figure: one file instead of three, which keeps the report light.
        struct Plots: Encodable { var histogram: DensityHistogramFigure; var volumeContour: VolumeContourFigure; var powerSpectrum: PowerSpectrumFigure }
        return [
            PresentedFigure(name: "plots", title: "Density histogram, volume against contour level, power spectrum",
                            caption: "Top: voxels per density bin on a log scale, densities in standard deviations of each map about its mean (the solvent is the peak near 0, the molecule the long tail to the right). Middle: volume enclosed by the contour surface (the voxels at or above the level) against the level, in standard deviations of each map; rings: the recommended contour level, \(levels). Bottom: mean |F|² per Fourier shell on a log scale against spatial frequency (1/Å, bottom axis) and resolution (Å, top axis), up to the last complete shell.",
                            figure: FigureColumn([histogram, volume, spectrum]),
                            data: Plots(histogram: histogram, volumeContour: volume, powerSpectrum: spectrum)),
        ]
    }
}

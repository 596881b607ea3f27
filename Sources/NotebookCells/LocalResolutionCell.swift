import Foundation
import Figures
import LocalResolution
import MapbookCore
import MapModel
import Notebook

/// `kind: local_resolution` — local resolution from the half maps, by MonoRes (default) or the
/// windowed local FSC, shown as a histogram, as coloured central slices over the density and as
/// the surface of the average map coloured by its local resolution.
public struct LocalResolutionCell: NotebookCell {
    /// The estimate's parameters and the slices' colour map.
    public struct Parameters: DeclaredParameters, Equatable {
        /// The method and its parameters.
        public var estimate = LocalResolutionParameters()
        /// The colour map of the slices.
        @Parameter("colormap", "colour map of the slices; better resolution is always the low end of the bar",
                   source: "Crameri et al. 2020 (cividis: Nuñez et al. 2018; turbo: Mikhailov 2019)")
        public var colormap = ColorMap.viridis
        /// The defaults.
        public init() {}
    }

    /// The half maps.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// The mask; nil until resolved (then `dataset.mask` when the dataset has one, else auto).
    public var mask: MaskSetting?
    /// A global resolution to mark on the histogram and centre the colour range on (a number
    /// reference such as `postprocess.resolution`).
    public var globalResolution: PlanReference?
    /// The method, its parameters and the colour map.
    public var parameters = Parameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case halfMaps = "half_maps", mask, globalResolution = "global_resolution"
    }

    /// The name written as `kind:` in plans.
    public static let kind = "local_resolution"
    /// Revision 2: the result keeps the figures' data (slices, distributions), not the figures.
    /// 3: the result keeps Nyquist and the 2nd and 98th percentiles (the colour range).
    /// 4: the result keeps the rendered surface views of the average map.
    public static let revision = 4
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { parameters.estimate.method.peakMapCopies }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Local resolution from the half maps: MonoRes (monogenic signal) or a windowed local FSC."
    /// A sweep of filtered maps: the slowest kind, and 40 more maps reserved in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 150)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Local resolution"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two unfiltered, unmasked half maps (a reference)"),
        CellOption("mask", default: "dataset.mask if the dataset has one, else auto", "auto (MonoRes's own: Gaussian low-pass of 0.02·box, 5 % of the maximum) or a map reference", shownInStarterPlan: false),
        CellOption("global_resolution", default: "none", "a number reference (e.g. postprocess.resolution) marked on the histogram and used to set the colour range", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("resolution_map", .map, "local resolution in Å inside the mask, 0 outside"),
        CellOutputSpec("median", .number, "median local resolution, Å"),
        CellOutputSpec("percentile5", .number, "5th percentile of the local resolution, Å"),
        CellOutputSpec("percentile95", .number, "95th percentile of the local resolution, Å"),
        CellOutputSpec("assigned_fraction", .number, "percentage of the mask that received a resolution"),
    ]
    /// The index's median local resolution.
    public static let indexColumns = [IndexColumn(.localResolutionMedian, from: .output("median"))]

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        mask = try c.decodeIfPresent(MaskSetting.self, forKey: .mask)
        globalResolution = try c.decodeIfPresent(PlanReference.self, forKey: .globalResolution)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The inputs, the report settings and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(mask, forKey: .mask)
        try c.encodeIfPresent(globalResolution, forKey: .globalResolution)
        try parameters.encodeParameters(to: encoder)
    }

    /// Fills in the mask default from the dataset.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if mask == nil { mask = dataset.mask != nil ? .map(PlanReference("dataset", "mask")) : .automatic }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("half_maps", halfMaps, .halfMaps)]
        if let r = mask?.reference { i.append(CellInput("mask", r, .map)) }
        if let g = globalResolution { i.append(CellInput("global_resolution", g, .number)) }
        return i
    }

    /// What the cell keeps for the report.
    public struct Result: Codable, Sendable {
        /// Summary numbers (median, percentiles, histogram, tested resolutions, warnings).
        public var summary: MonoResSummary
        /// The method used.
        public var method: String
        /// The global resolution marked, if any.
        public var globalResolution: Double?
        /// The local resolutions inside the mask, in 0.25 Å bins, for the histogram.
        public var distribution: LocalResolutionHistogramFigure.Distribution
        /// Central slices of the local resolution (NaN outside the mask).
        public var slices: [SliceImage]
        /// Central slices of the average of the half maps, in its standard deviations.
        public var underlays: [SliceImage]
        /// The finest resolution the grid holds, 2 × the voxel size, Å.
        public var nyquist: Double
        /// The average of the half maps inside the mask, seen along x, y and z and coloured by
        /// the local resolution (rendered at run time: the report has no maps).
        public var surface: SurfaceViewFigure.Surface
        /// How the surface's contour level was chosen, for the caption.
        public var surfaceLevelRule: String
    }

    /// The surface shown: the average of the half maps inside the local-resolution mask (the
    /// map's minimum outside it, so only the region that has a colour gets a surface), at the
    /// solvent-noise rule of `RecommendedContour` with the mask, rather than the box corners,
    /// telling solvent: 3 standard deviations above the mean outside the mask. Box corners
    /// cannot be trusted here: half maps often come masked by a sphere, whose flat corners
    /// would put the level at the noise. Without voxels or noise outside the mask, the whole
    /// average at its recommended contour.
    static func surface(average: Volume, resolution: Volume) throws -> (surface: SurfaceViewFigure.Surface, rule: String) {
        var sum = 0.0, squares = 0.0, count = 0
        for (v, r) in zip(average.voxels, resolution.voxels) where !(r > 0) { sum += Double(v); squares += Double(v) * Double(v); count += 1 }
        let mean = sum / Double(max(count, 1)), sd = (max(0, squares / Double(max(count, 1)) - mean * mean)).squareRoot()
        let level = Float(mean + RecommendedContour.noiseSigmas * sd)
        guard count > 1, sd > 0, level < average.statistics.max else {
            let contour = RecommendedContour.of(average)
            return (try SurfaceViewFigure.surface(of: average, level: contour.level, resolution: resolution), "the recommended contour: " + contour.explanation)
        }
        var inside = average
        let floor = average.statistics.min
        inside.voxels.withUnsafeMutableBufferPointer { v in for i in 0..<v.count where !(resolution.voxels[i] > 0) { v[i] = floor } }
        let rule = String(format: "%.0f standard deviations above the average outside the mask; the map is shown inside the mask only", RecommendedContour.noiseSigmas)
        return (try SurfaceViewFigure.surface(of: inside, level: level, resolution: resolution), rule)
    }

    /// The colour range of the slices: the 2nd to the 98th percentile of the local
    /// resolutions inside the mask, so a few outlying voxels do not stretch it, and never
    /// finer than Nyquist, which no resolution on the grid can beat. At least 0.5 Å wide.
    static func colorRange(_ d: LocalResolutionHistogramFigure.Distribution, nyquist: Double) -> ClosedRange<Double> {
        let lower = max(d.percentile2.isFinite ? d.percentile2 : nyquist, nyquist)
        let upper = d.percentile98.isFinite ? max(d.percentile98, lower + 0.5) : lower + 0.5
        return lower...upper
    }

    /// Whether a global resolution is only the grid's limit: at (or, by rounding, just
    /// beyond) Nyquist, where an FSC that never falls below its threshold is reported.
    static func isNyquistLimited(_ resolution: Double, nyquist: Double) -> Bool {
        resolution <= nyquist * (1 + 1e-3)
    }

    /// The histogram's marker for the global resolution: "Nyquist" when the global FSC is
    /// Nyquist-limited (the number is the voxel size's limit, not a measurement).
    static func globalMarker(_ resolution: Double, nyquist: Double) -> LocalResolutionHistogramFigure.Marker {
        isNyquistLimited(resolution, nyquist: nyquist)
            ? .init(label: "Nyquist (global FSC limit)", resolution: nyquist)
            : .init(label: "global FSC", resolution: resolution)
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        var maskVolume: Volume? = nil
        if case .map(let r)? = mask {
            maskVolume = try MaskInput.checked(try context.map(r), path: context.path(r) ?? r.description, on: h1.grid)
        }
        let average = HalfMapPair.average(h1, h2)
        let out = try LocalResolutionEstimate.run(half1: h1, half2: h2, mask: maskVolume, parameters: parameters.estimate,
                                                  names: context.halfMapNames(halfMaps), progress: context.progress)
        let global = try globalResolution.map { try context.number($0).value }.flatMap { $0.isFinite ? $0 : nil }
        let s = out.summary
        let values = out.resolution.voxels.filter { $0 > 0 }
        let distribution = LocalResolutionHistogramFigure.Distribution(values: values, binWidth: 0.25)
        // Outside the mask the colour is left out (NaN), so the density shows through in grey.
        var shown = out.resolution
        shown.voxels.withUnsafeMutableBufferPointer { v in for i in 0..<v.count where v[i] <= 0 { v[i] = .nan } }
        let slices = LocalResolutionSlicesFigure.slices(localResolution: shown, density: average)
        let surface = try Self.surface(average: average, resolution: out.resolution)
        let numbers = ["median": Quantity(s.median, unit: "Å"), "percentile5": Quantity(s.percentile5, unit: "Å"),
                       "percentile95": Quantity(s.percentile95, unit: "Å"),
                       "assigned_fraction": Quantity(100 * s.assignedFraction, unit: "%", digits: 1)]
        return CellProduct(result: Result(summary: s, method: parameters.estimate.method.rawValue, globalResolution: global, distribution: distribution,
                                          slices: slices.slices, underlays: slices.underlays, nyquist: 2 * h1.grid.voxelSize.max(),
                                          surface: surface.surface, surfaceLevelRule: surface.rule),
                           numbers: numbers, maps: ["resolution_map": out.resolution])
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let s = result.summary
        let marker = result.globalResolution.map { Self.globalMarker($0, nyquist: result.nyquist) }
        let histogram = LocalResolutionHistogramFigure(title: "Local resolution", distribution: result.distribution, markers: marker.map { [$0] } ?? [])
        let range = Self.colorRange(result.distribution, nyquist: result.nyquist)
        let slices = LocalResolutionSlicesFigure(title: "Local resolution (Å) on the central slices", slices: result.slices,
                                                 underlays: result.underlays, colorMap: parameters.colormap, range: range)
        let surface = SurfaceViewFigure(title: "Local resolution (Å) on the surface of the average map",
                                        maps: [.init(label: "average of the half maps", surface: result.surface)],
                                        colorBar: .init(colorMap: parameters.colormap, lower: range.lowerBound, upper: range.upperBound))
        let name = result.method == "monores" ? "MonoRes" : "windowed local FSC"
        let detail = result.method == "monores"
            ? String(format: "MonoRes, %@ mode, sweep from %.2f Å in %.2f Å steps, significance %.2f; %d resolutions tested, stopped because %@",
                     s.halfMapMode ? "half-map" : "single-map", s.lowResolution, s.step, s.significance, s.testedResolutions.count, s.stopReason.rawValue)
            : String(format: "windowed FSC at %.3f, corrected by phase randomisation per window", s.significance)
        let median = String(format: "%.2f Å", s.median)
        let spread = String(format: "%.2f–%.2f Å", s.percentile5, s.percentile95)
        var glance = [GlanceRow("Local resolution, median (\(name))", median, "5–95 %: \(spread) · \(context.cellID)", priority: GlanceRow.Priority.measure)]
        if s.assignedFraction < 0.999 {
            glance.append(GlanceRow("Local resolution assigned", String(format: "%.0f %% of the mask", 100 * s.assignedFraction), context.cellID, priority: GlanceRow.Priority.measure + 1))
        }
        var rows = [["Method", detail], ["Median", median], ["5th–95th percentile", spread],
                    ["Range", String(format: "%.2f–%.2f Å", s.best, s.worst)],
                    ["Mask voxels", "\(s.maskVoxels) (\(String(format: "%.1f", 100 * s.assignedFraction)) % assigned)"]]
        let nyquistLimited = result.globalResolution.map { Self.isNyquistLimited($0, nyquist: result.nyquist) } ?? false
        if let g = result.globalResolution {
            rows.append(["Global FSC resolution", nyquistLimited ? String(format: "≤ %.2f Å (Nyquist: the FSC does not fall below its threshold)", result.nyquist) : String(format: "%.2f Å", g)])
        }
        let markerLine = LocalResolutionHistogramFigure.markerStyle(index: 0).patternName
        let globalText = result.globalResolution.map { g in
            nyquistLimited
                ? String(format: "; the %@ line is Nyquist (%.2f Å): the global FSC stays above its threshold up to there, so the global resolution is limited by the voxel size, not measured", markerLine, result.nyquist)
                : String(format: "; the %@ line is the global FSC resolution (%.2f Å)", markerLine, g)
        } ?? ""
        let medianLine = LocalResolutionHistogramFigure.medianStyle.patternName, percentileLine = LocalResolutionHistogramFigure.percentileStyle.patternName
        return CellPresentation(
            summary: "Median local resolution \(median) (5–95 %: \(spread)) by \(name). Map: \(context.cellID).resolution_map.",
            figures: [
                PresentedFigure(name: "histogram", title: "Local-resolution histogram",
                                caption: "Local resolution of the voxels inside the mask in 0.25 Å bins; \(medianLine) line the median, \(percentileLine) lines the 5th and 95th percentiles\(globalText).",
                                figure: histogram),
                PresentedFigure(name: "slices", title: "Local resolution on the central slices",
                                caption: String(format: "Local resolution in colour (%@; better resolution at the low end of the bar) over the average of the half maps in grey; no colour outside the mask. The bar runs from %.2f to %.2f Å, the 2nd to 98th percentile of the voxels inside the mask%@.", slices.colorMap.rawValue, slices.lower, slices.upper, slices.lower == result.nyquist ? String(format: ", starting at Nyquist (%.2f Å), the finest resolution the grid holds", result.nyquist) : ""),
                                // The pixels are in the maps: the data file gives the colour scale, not the slices.
                                figure: slices, data: ["colormap": slices.colorMap.rawValue, "lower_A": String(slices.lower), "upper_A": String(slices.upper)]),
                PresentedFigure(name: "surface", title: "Local resolution on the surface",
                                caption: String(format: "The average of the half maps seen along x, y and z at level %.4g (%@), coloured by the local resolution at each surface point on the bar of the slices (%.2f–%.2f Å); grey-blue where the surface leaves the mask.", result.surface.level, result.surfaceLevelRule, range.lowerBound, range.upperBound),
                                figure: surface, data: ["colormap": parameters.colormap.rawValue, "level": String(result.surface.level)]),
            ],
            tables: [ReportTable(title: "Local resolution", columns: [], rows: rows)],
            glance: glance,
            flags: s.warnings,
            verdicts: [Verdict.summarising(VerdictRules.localResolution(s, nyquist: result.nyquist, section: context.title), section: context.title,
                                           passReason: "median \(median) (5–95 %: \(spread))")])
    }
}

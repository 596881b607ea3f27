import Foundation
import Figures

/// The plan's `deposition:` section: what goes to EMDB from this dataset.
///
///     deposition: {map: postprocess.sharpened, fsc: postprocess, mask: postprocess.mask}
///
/// The half maps are always the dataset's (as given, unmasked); `map` is the primary map,
/// `fsc` the cell whose corrected FSC curve is deposited as XML, `mask` the mask that FSC used.
public struct PlanDeposition: Sendable {
    /// The primary map: a map of the dataset or of a cell.
    public var map: PlanReference
    /// The id of the cell whose FSC (its `fsc.xml`) is deposited.
    public var fscCell: String
    /// The mask, when named.
    public var mask: PlanReference?
    /// Where the section starts in the plan.
    public var position: SourcePosition?

    /// The keys the section takes.
    public static let keys = ["map", "fsc", "mask"]

    /// A deposition section.
    public init(map: PlanReference, fscCell: String, mask: PlanReference?, position: SourcePosition? = nil) {
        self.map = map; self.fscCell = fscCell; self.mask = mask; self.position = position
    }
}

/// How a report holds the maps its cells made (`report: {maps: copy|link|omit}`).
public enum MapInclusion: String, Sendable, CaseIterable {
    /// maps/ holds its own copy of each map (a hard link to the cache file where the file
    /// system allows, so the bytes are stored once): it survives deleting the cache.
    case copy
    /// maps/ holds relative symbolic links into the cache: no map bytes in the report. The
    /// links stay valid when the report folder is moved or archived together with its cache
    /// (the default cache, `<report>/cache`, is inside it).
    case link
    /// No maps/ entries: the report is figures, tables and numbers only.
    case omit
}

/// The plan's `report:` section: how the report is written.
public struct PlanReportSettings: Sendable, Equatable {
    /// How cell maps are included (default `copy`).
    public var maps: MapInclusion = .copy
    /// Whether figures/ also holds each drawing as SVG (default no: PDF is its vector form,
    /// and SVG copies of a dozen cells' figures cost 1.5 MB of a 100³ report's 10 MB budget).
    public var svg = false

    /// The keys the section takes.
    public static let keys = ["maps", "svg"]

    /// The formats a figure of `formats` (its own, `Figure.formats`) is written in.
    public func figureFormats(_ formats: [FigureFormat]) -> [FigureFormat] {
        formats.filter { $0 != .svg || svg }
    }

    /// The defaults.
    public init() {}
}

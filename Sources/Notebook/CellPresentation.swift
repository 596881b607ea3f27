import Foundation
import Figures
import MapbookCore

/// What a cell shows in the report: text, figures, tables, numbers for the at-a-glance table,
/// and data files. Every writer (HTML, PDF, notebook) renders the same presentation.
public struct CellPresentation: Sendable {
    /// A short paragraph under the cell's heading (plain text).
    public var summary: String?
    /// Figures, in order.
    public var figures: [PresentedFigure]
    /// Tables, in order.
    public var tables: [ReportTable]
    /// Rows for the at-a-glance table at the top of the report.
    public var glance: [GlanceRow]
    /// Things the reader must not miss (warnings), shown with the cell and at the top.
    public var flags: [String]
    /// Hints about the cell's parameters (K outside its advised range, a search grid that may
    /// be too narrow), shown with the cell only: they concern the settings, not the data.
    public var notes: [String]
    /// Extra files for the bundle's data/ folder (FSC XML, tables).
    public var dataFiles: [DataFile]
    /// The section's verdict lines (usually one: the worst finding, or a pass).
    public var verdicts: [Verdict]

    /// A presentation.
    public init(summary: String? = nil, figures: [PresentedFigure] = [], tables: [ReportTable] = [], glance: [GlanceRow] = [],
                flags: [String] = [], notes: [String] = [], dataFiles: [DataFile] = [], verdicts: [Verdict] = []) {
        self.summary = summary; self.figures = figures; self.tables = tables; self.glance = glance
        self.flags = flags; self.notes = notes; self.dataFiles = dataFiles; self.verdicts = verdicts
    }
}

/// A figure with its caption and the data it plots.
public struct PresentedFigure: Sendable {
    /// File stem, unique within the cell ("fsc", "guinier").
    public var name: String
    /// Title for listings.
    public var title: String
    /// Caption under the figure: what is shown, units, and the facts needed to read it.
    public var caption: String
    /// The drawing.
    public var figure: any Figure
    /// Every plotted series as JSON (written to data/).
    public var data: Data

    /// A figure whose data is the figure value itself, encoded.
    public init<F: Figure & Encodable>(name: String, title: String, caption: String, figure: F) {
        self.init(name: name, title: title, caption: caption, figure: figure, data: figure)
    }

    /// A figure with its plotted data given separately (for images, whose pixels are in the
    /// maps rather than worth repeating as JSON).
    public init(name: String, title: String, caption: String, figure: any Figure, data: some Encodable) {
        self.name = name
        self.title = title
        self.caption = caption
        self.figure = figure
        // As Reports' JSONOutput writes reports: non-finite numbers as null, pretty, a final newline.
        self.data = (try? JSONPolicy.encode(data, pretty: true, nonFinite: .null) + Data("\n".utf8)) ?? Data()
    }
}

/// A table of text cells.
public struct ReportTable: Codable, Sendable, Equatable {
    /// Title above the table.
    public var title: String
    /// Column headings.
    public var columns: [String]
    /// Rows, each with one entry per column.
    public var rows: [[String]]
    /// A note under the table.
    public var note: String?
    /// Whether the HTML report shows the table folded (a `<details>` element, opened by a
    /// click); the PDF and the notebook always show it whole.
    public var collapsed: Bool

    /// A table.
    public init(title: String, columns: [String], rows: [[String]], note: String? = nil, collapsed: Bool = false) {
        self.title = title; self.columns = columns; self.rows = rows; self.note = note; self.collapsed = collapsed
    }

    enum CodingKeys: String, CodingKey { case title, columns, rows, note, collapsed }

    /// Decodes a table; one written before `collapsed` existed is not collapsed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        columns = try c.decode([String].self, forKey: .columns)
        rows = try c.decode([[String]].self, forKey: .rows)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        collapsed = try c.decodeIfPresent(Bool.self, forKey: .collapsed) ?? false
    }
}

/// One row of the at-a-glance table.
public struct GlanceRow: Codable, Sendable, Equatable {
    /// What the number is ("Resolution, FSC 0.143, corrected").
    public var label: String
    /// The number with its unit.
    public var value: String
    /// Where it comes from or how it was obtained.
    public var detail: String
    /// Where the row goes: rows sort by priority, then by cell order (`GlanceRow.Priority`).
    public var priority: Int

    /// Row priorities: what a reader looks for first comes first.
    public enum Priority {
        /// The dataset itself.
        public static let dataset = 0
        /// Resolutions.
        public static let resolution = 10
        /// Sharpening.
        public static let sharpening = 20
        /// Local resolution and other map measures.
        public static let measure = 30
        /// Masks and processing facts.
        public static let processing = 40
        /// Grid facts.
        public static let grid = 50
    }

    /// A row.
    public init(_ label: String, _ value: String, _ detail: String = "", priority: Int = Priority.measure) {
        self.label = label; self.value = value; self.detail = detail; self.priority = priority
    }
}

/// A file for the bundle's data/ folder.
public struct DataFile: Sendable {
    /// File name within data/, without the cell prefix ("fsc.xml").
    public var name: String
    /// The bytes.
    public var data: Data
    /// A name under which the bundle also holds the file at its top level ("fsc.xml", the
    /// EMDB deposition file), or nil. When several cells give the same name, the last wins.
    public var topLevelName: String?

    /// A data file.
    public init(name: String, data: Data, topLevelName: String? = nil) { self.name = name; self.data = data; self.topLevelName = topLevelName }
}

/// What `present` may know about the run besides the result.
public struct PresentationContext: Sendable {
    /// The cell's id.
    public var cellID: String
    /// The cell's heading.
    public var title: String
    /// The plan's dataset block.
    public var dataset: PlanDataset
    /// Human names of the cell's inputs, by reference text ("dataset.half_map_1" → "half map 1").
    public var inputLabels: [String: String]

    /// The name of a reference for captions and tables.
    public func label(_ r: PlanReference) -> String { inputLabels[r.description] ?? r.description }
}

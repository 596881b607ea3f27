import Foundation

/// A tab-separated reference table (the RELION expectations in fixtures/relion/): `#` comment
/// lines, one header line, then rows. Empty cells and `NA` read as nil.
public struct ReferenceTable {
    /// Column names in order.
    public let columns: [String]
    /// Rows of cells.
    public let rows: [[String]]

    /// Reads `path`.
    public init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("#") }
        guard let header = lines.first else { throw CocoaError(.fileReadCorruptFile) }
        columns = header.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The column `name` as numbers (nil for empty or NA cells).
    public func numbers(_ name: String) -> [Double?] {
        guard let c = columns.firstIndex(of: name) else { return [] }
        return rows.map { c < $0.count ? Double($0[c]) : nil }
    }

    /// The cell in column `name` of the row whose first cell is `key`.
    public func value(_ name: String, row key: String) -> String? {
        guard let c = columns.firstIndex(of: name), let r = rows.first(where: { $0.first == key }), c < r.count else { return nil }
        return r[c]
    }
}

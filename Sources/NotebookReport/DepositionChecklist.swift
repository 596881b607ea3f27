import Foundation
import Figures
import MapModel
import Notebook
import Reports

/// The checks a deposition bundle must pass before it goes to EMDB, each a pass or a fail with
/// the measurement behind it:
///
/// - each half map unmasked (`MaskingEvidence`: at most 1 % of voxels exactly 0, and noise at
///   the box faces at least 5 % of the map's rms);
/// - every map on the same grid with the same voxel size, as the files' headers give them
///   (`VoxelGrid.mismatch`: size, voxel size, origin within 0.1 voxel);
/// - a mask named;
/// - the FSC XML well formed (read back with an XML parser: `<fsc>` of `<coordinate>`s, each
///   with a finite `<x>` and `<y>`, frequencies rising);
/// - its curve equal to the report's: the same shells as the corrected curve of the cell's FSC
///   figure, each x and y within 1e-6 (the XML's six decimals).
struct DepositionChecklist: Encodable {
    /// One check.
    struct Item: Encodable {
        /// What is checked.
        var item: String
        /// "pass" or "fail".
        var status: String
        /// The measurement or the reason.
        var detail: String

        init(_ item: String, passed: Bool, _ detail: String) {
            self.item = item; status = passed ? "pass" : "fail"; self.detail = detail
        }
    }

    /// The checks, in order.
    var items: [Item]
    /// The bundle's files (names within deposition/).
    var files: [String]

    /// Whether every check passed.
    var passed: Bool { items.allSatisfy { $0.status == "pass" } }

    /// Largest difference allowed between the XML's points and the report's curve.
    static let curveTolerance = 1e-6

    /// The half-map check for the map at `path`.
    static func unmasked(_ label: String, path: String) -> Item {
        do {
            let evidence = MaskingEvidence(try MRCFile.read(path: path).volume)
            return Item("\(label) unmasked", passed: !evidence.looksMasked, (evidence.looksMasked ? "looks masked: " : "") + evidence.description)
        } catch {
            return Item("\(label) unmasked", passed: false, "cannot read it: \(error)")
        }
    }

    /// The grid check over `maps` (label, path); the first is the reference.
    static func sameGrid(_ maps: [(label: String, path: String)]) -> Item {
        var grids: [(String, VoxelGrid)] = []
        for m in maps {
            do { grids.append((m.label, try MRCFile.checkedGrid(path: m.path))) }
            catch { return Item("Same grid and voxel size", passed: false, "cannot read \(m.label): \(error)") }
        }
        guard let (firstLabel, first) = grids.first else { return Item("Same grid and voxel size", passed: false, "no maps") }
        for (label, g) in grids.dropFirst() {
            if let why = first.mismatch(with: g) { return Item("Same grid and voxel size", passed: false, "\(label) differs from \(firstLabel): \(why)") }
        }
        let s = first.size, v = first.voxelSize
        return Item("Same grid and voxel size", passed: true,
                    String(format: "%d×%d×%d voxels of %.4f × %.4f × %.4f Å in all %d maps", s.x, s.y, s.z, v.x, v.y, v.z, grids.count))
    }

    /// The two FSC checks: the XML reads back, and its points are the report's curve.
    static func fsc(_ xml: Data?, report figure: FSCFigure?, cell: String) -> [Item] {
        guard let xml else {
            return [Item("FSC XML well formed", passed: false, "cell '\(cell)' made no FSC XML (it failed, was skipped, or measures no FSC)"),
                    Item("FSC curve equals the report's", passed: false, "no FSC XML")]
        }
        let points: [EMDBFSCXML.Point]
        do { points = try EMDBFSCXML.points(of: xml) } catch {
            return [Item("FSC XML well formed", passed: false, "\(error)"), Item("FSC curve equals the report's", passed: false, "the XML cannot be read")]
        }
        let wellFormed = Item("FSC XML well formed", passed: true, "\(points.count) points, \(String(format: "%.4f", points.first!.x))–\(String(format: "%.4f", points.last!.x)) Å⁻¹")
        guard let curve = figure?.curves.first(where: { $0.role == .corrected }) else {
            return [wellFormed, Item("FSC curve equals the report's", passed: false, "the report shows no FSC curve of cell '\(cell)'")]
        }
        let shown = zip(curve.frequency, curve.fsc).dropFirst().filter { $0.1.isFinite }
        guard shown.count == points.count else {
            return [wellFormed, Item("FSC curve equals the report's", passed: false, "the XML has \(points.count) points, the report's curve \(shown.count)")]
        }
        let worst = zip(points, shown).map { max(abs($0.x - $1.0), abs($0.y - $1.1)) }.max() ?? 0
        return [wellFormed, Item("FSC curve equals the report's", passed: worst <= curveTolerance,
                                 String(format: "%d points of the report's corrected curve ('%@'); largest difference %.1e", points.count, cell, worst))]
    }

    /// The checklist as markdown.
    var markdown: String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "# EMDB deposition checklist\n\n"
        out += passed ? "Every check passed.\n\n" : "\(items.filter { $0.status == "fail" }.count) of \(items.count) checks failed.\n\n"
        out += "| Check | Result | Detail |\n|---|---|---|\n"
        for i in items { out += "| \(cell(i.item)) | \(i.status) | \(cell(i.detail)) |\n" }
        out += "\nFiles:\n\n" + files.map { "- `\(cell($0))`\n" }.joined()
        return out
    }

    enum CodingKeys: String, CodingKey { case passed, items, files }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(passed, forKey: .passed); try c.encode(items, forKey: .items); try c.encode(files, forKey: .files)
    }
}

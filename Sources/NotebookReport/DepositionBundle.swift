import Foundation
import Figures
import Notebook
import Reports

/// The report's deposition/ folder, for a plan with a `deposition:` section: copies of the
/// half maps as given, the primary map and the mask (copies whatever the plan's `report:
/// maps:` says, so the folder can be uploaded as it is), the FSC XML of the named cell, and
/// `checklist.md` / `checklist.json` (`DepositionChecklist`).
///
/// Each file keeps its original name after its role: `half_map_1_<name>`, `primary_map_<name>`,
/// `mask_<name>` (a cell's map is named by its output, such as `primary_map_sharpened.mrc`).
enum DepositionBundle {
    /// Writes the folder into `bundle`; returns the files written (relative to the report).
    static func write(_ run: NotebookRun, maps: ReportMaps, into bundle: ReportBundle) throws -> [String] {
        guard let deposition = run.plan.deposition else { return [] }
        var written: [String] = []
        var items: [DepositionChecklist.Item] = []
        var gridMaps: [(label: String, path: String)] = []

        func place(_ role: String, label: String, reference: String) throws -> String? {
            guard let entry = maps.entry(reference) else {
                items.append(.init("\(label) present", passed: false, "'\(reference)' was not made (its cell failed or was skipped)"))
                return nil
            }
            let name = "deposition/\(role)_\(safeName(URL(fileURLWithPath: entry.source).lastPathComponent))"
            try bundle.copy(name, from: entry.source)
            written.append(name)
            gridMaps.append((label, entry.source))
            return entry.source
        }

        for i in 1...2 {
            if let source = try place("half_map_\(i)", label: "half map \(i)", reference: "dataset.half_map_\(i)") {
                items.append(DepositionChecklist.unmasked("Half map \(i)", path: source))
            }
        }
        _ = try place("primary_map", label: "primary map (\(deposition.map))", reference: deposition.map.description)
        if let mask = deposition.mask {
            _ = try place("mask", label: "mask (\(mask))", reference: mask.description)
        } else {
            items.append(.init("Mask named", passed: false, "the deposition section names no mask; add mask: with the mask the FSC used"))
        }
        items.append(DepositionChecklist.sameGrid(gridMaps))

        let record = run.cells.first { $0.id == deposition.fscCell }
        let xml = record?.presentation?.dataFiles.first { $0.name == "fsc.xml" }?.data
        if let xml {
            try bundle.add("deposition/fsc.xml", xml)
            written.append("deposition/fsc.xml")
        }
        let figure = record?.presentation?.figures.lazy.compactMap { $0.figure as? FSCFigure }.first
        items += DepositionChecklist.fsc(xml, report: figure, cell: deposition.fscCell)

        let names = written.map { String($0.dropFirst("deposition/".count)) } + ["checklist.md", "checklist.json"]
        let checklist = DepositionChecklist(items: items, files: names)
        try bundle.add("deposition/checklist.md", Data(checklist.markdown.utf8))
        try bundle.add("deposition/checklist.json", try JSONOutput.encode(checklist))
        return written + ["deposition/checklist.md", "deposition/checklist.json"]
    }

    /// `name` with every character but letters, digits, '.', '-' and '_' made '_' (no leading dot).
    static func safeName(_ name: String) -> String {
        var s = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        while s.hasPrefix(".") { s.removeFirst() }
        return s.isEmpty ? "map" : s
    }
}

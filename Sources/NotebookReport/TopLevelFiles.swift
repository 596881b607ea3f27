import Foundation
import Notebook

/// Which cell's file a report holds at its top level under a shared name (`fsc.xml`, the EMDB
/// FSC), chosen so that the order of the cells never matters:
///
/// 1. for `fsc.xml` in a plan with a `deposition:` section, the file of its `fsc` cell (none
///    when that cell made no FSC);
/// 2. otherwise the file of the cell with the best (smallest) `resolution` number, the FSC that
///    supports the resolution the report can claim; cells without one come last, and a tie goes
///    to the smaller cell id.
enum TopLevelFiles {
    /// The top-level files of `run`: name → (cell id, bytes).
    static func chosen(_ run: NotebookRun) -> [String: (cell: String, data: Data)] {
        var candidates: [String: [(cell: CellRecord, data: Data)]] = [:]
        for record in run.cells {
            for file in record.presentation?.dataFiles ?? [] {
                if let name = file.topLevelName { candidates[name, default: []].append((record, file.data)) }
            }
        }
        var out: [String: (cell: String, data: Data)] = [:]
        for (name, files) in candidates {
            if name == "fsc.xml", let deposition = run.plan.deposition {
                if let f = files.first(where: { $0.cell.id == deposition.fscCell }) { out[name] = (f.cell.id, f.data) }
                continue
            }
            let best = files.min { a, b in
                let ra = resolution(a.cell), rb = resolution(b.cell)
                return ra != rb ? ra < rb : a.cell.id < b.cell.id
            }
            if let best { out[name] = (best.cell.id, best.data) }
        }
        return out
    }

    /// The cell's `resolution` number, infinity when it has none.
    static func resolution(_ record: CellRecord) -> Double {
        guard let v = record.numbers["resolution"]?.value, v.isFinite else { return .infinity }
        return v
    }
}

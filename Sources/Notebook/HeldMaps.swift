import Foundation

extension Plan {
    /// For each reference, the index (among analysis cells) of the last cell that reads it, so
    /// values can be released when no later cell needs them.
    func lastUses() -> [String: Int] {
        var last: [String: Int] = [:]
        for (i, a) in analysisCells.enumerated() {
            for input in a.cell.inputs { last[input.reference.description] = i }
        }
        return last
    }

    /// Map-sized buffers the run holds for other cells while analysis cell `index` runs: every
    /// map an earlier cell read from the dataset or made that a later cell still reads (the
    /// run keeps exactly those, and drops each after its last reader), except the ones cell
    /// `index` reads itself, which its own count (`peakMapCopies`) includes. A pair of half
    /// maps counts two; a boxed map counts as a whole one.
    func heldMapCopies(at index: Int) -> Double {
        let cells = analysisCells
        guard cells.indices.contains(index) else { return 0 }
        let last = lastUses()
        var weight: [String: Double] = [:]
        for earlier in cells[..<index] {
            for input in earlier.cell.inputs where input.reference.isDataset {
                switch input.type {
                case .map: weight[input.reference.description] = 1
                case .halfMaps: weight[input.reference.description] = 2
                default: break
                }
            }
            for output in type(of: earlier.cell).outputs where output.type == .map {
                weight["\(earlier.id).\(output.name)"] = 1
            }
        }
        let ownInputs = Set(cells[index].cell.inputs.map(\.reference.description))
        return weight.reduce(0) { sum, entry in
            sum + ((last[entry.key] ?? -1) > index && !ownInputs.contains(entry.key) ? entry.value : 0)
        }
    }

    /// Map-sized buffers at the plan's peak: the largest, over its analysis cells, of a cell's
    /// own count (`peakMapCopies`) plus the maps held for others while it runs. What `mapbook
    /// run` checks before each cell, and what a batch task asks its scheduler for.
    public var peakMapCopies: Double {
        analysisCells.indices.map { analysisCells[$0].cell.peakMapCopies + heldMapCopies(at: $0) }.max() ?? 0
    }
}

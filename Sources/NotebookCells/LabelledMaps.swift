import Foundation
import Notebook

/// The `maps:` and `labels:` keys of cells that show a list of maps (montage, views): maps
/// required and not empty, labels optional and one per map.
enum LabelledMaps {
    /// Decodes both keys of a `kind` cell from `c`, whose keys are named `maps` and `labels`.
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, kind: String, decoder: Decoder) throws -> (maps: [PlanReference], labels: [String]?) {
        guard let mapsKey = K(stringValue: "maps"), let labelsKey = K(stringValue: "labels") else { preconditionFailure("no maps or labels key") }
        guard c.contains(mapsKey) else { throw PlanProblem("a \(kind) cell needs maps: a list of map references", at: decoder.planPosition) }
        let maps = try c.decode([PlanReference].self, forKey: mapsKey)
        if maps.isEmpty { throw PlanProblem("maps is empty; list at least one map reference", at: try c.superDecoder(forKey: mapsKey).planPosition) }
        let labels = try c.decodeIfPresent([String].self, forKey: labelsKey)
        if let l = labels, l.count != maps.count {
            throw PlanProblem("labels has \(l.count) entries for \(maps.count) maps", at: try c.superDecoder(forKey: labelsKey).planPosition)
        }
        return (maps, labels)
    }
}

import Foundation
import Yams

extension PlanParser {
    /// Reads the `report:` section.
    static func reportSettings(_ node: Node) throws -> PlanReportSettings {
        guard let m = node.mapping else {
            throw PlanProblem("report must be a mapping with the keys \(PlanReportSettings.keys.joined(separator: ", "))", at: position(node))
        }
        try checkKeys(m, allowed: PlanReportSettings.keys, where: "in the report section")
        var settings = PlanReportSettings()
        if let mapsNode = m["maps"] {
            let allowed = MapInclusion.allCases.map(\.rawValue)
            guard let text = mapsNode.scalar?.string, let choice = MapInclusion(rawValue: text) else {
                throw PlanProblem("report maps must be one of \(allowed.joined(separator: ", ")), found '\(mapsNode.scalar?.string ?? "a collection")'", at: position(mapsNode))
            }
            settings.maps = choice
        }
        if let svgNode = m["svg"] {
            guard let text = svgNode.scalar?.string, let value = Bool(text) else {
                throw PlanProblem("report svg must be true or false, found '\(svgNode.scalar?.string ?? "a collection")'", at: position(svgNode))
            }
            settings.svg = value
        }
        return settings
    }

    /// Reads the `deposition:` section and checks it against the plan: the dataset has half
    /// maps, `map` and `mask` name maps the plan makes or has, `fsc` names an analysis cell.
    static func deposition(_ node: Node, plan: Plan) throws -> PlanDeposition {
        guard let m = node.mapping else {
            throw PlanProblem("deposition must be a mapping with the keys \(PlanDeposition.keys.joined(separator: ", ")), such as {map: postprocess.sharpened, fsc: postprocess, mask: postprocess.mask}", at: position(node))
        }
        try checkKeys(m, allowed: PlanDeposition.keys, where: "in the deposition section")
        guard plan.dataset.halfMaps != nil else {
            throw PlanProblem("deposition needs the dataset's half_maps (EMDB takes the two unmasked half maps)", at: position(node))
        }
        let maps = plan.dataset.outputs.filter { $0.type == .map }.map { "dataset.\($0.name)" }
            + plan.analysisCells.flatMap { a in type(of: a.cell).outputs.filter { $0.type == .map }.map { "\(a.id).\($0.name)" } }
        func mapReference(_ key: String) throws -> PlanReference? {
            guard let v = m[key] else { return nil }
            guard let text = v.scalar?.string, let r = PlanReference(parsing: text, position: position(v)), maps.contains(r.description) else {
                throw PlanProblem("deposition \(key): '\(v.scalar?.string ?? "?")' is not a map of this plan; allowed: \(maps.isEmpty ? "(none)" : maps.joined(separator: ", "))", at: position(v))
            }
            return r
        }
        guard let map = try mapReference("map") else {
            throw PlanProblem("deposition needs map: the primary map (one of \(maps.joined(separator: ", ")))", at: position(node))
        }
        let mask = try mapReference("mask")
        let ids = plan.analysisCells.map(\.id)
        guard let fscNode = m["fsc"] else {
            throw PlanProblem("deposition needs fsc: the id of the cell whose FSC is deposited (one of \(ids.joined(separator: ", ")))", at: position(node))
        }
        guard let fsc = fscNode.scalar?.string, ids.contains(fsc) else {
            throw PlanProblem("deposition fsc: '\(fscNode.scalar?.string ?? "?")' is not a cell of this plan; write the id of a cell that measures an FSC (one of \(ids.joined(separator: ", ")))", at: position(fscNode))
        }
        return PlanDeposition(map: map, fscCell: fsc, mask: mask, position: position(node))
    }
}

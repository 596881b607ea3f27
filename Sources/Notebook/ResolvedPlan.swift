import Foundation

/// The plan as it ran: every default filled in, paths made absolute, as canonical JSON
/// (plan.resolved.json in the report bundle). Running it again gives the same cells.
public enum ResolvedPlan {
    struct Dataset: Encodable {
        var name: String
        var halfMaps: [String]?
        var fullMap: String?
        var mask: String?
        var model: String?
        var sequence: String?
        var voxelSize: Double?
        var symmetry: String
        var symmetryOrder: Int

        enum CodingKeys: String, CodingKey {
            case name, halfMaps = "half_maps", fullMap = "full_map", mask, model, sequence, voxelSize = "voxel_size", symmetry
            case symmetryOrder = "symmetry_order"
        }
    }

    struct Cell: Encodable {
        var markdown: String?
        var id: String?
        var kind: String?
        var title: String?
        var parameters: AnyEncodable?
    }

    struct Document: Encodable {
        var title: String
        var dataset: Dataset
        var cells: [Cell]
    }

    /// The resolved plan's JSON.
    public static func json(_ plan: Plan) throws -> Data {
        let base = URL(fileURLWithPath: plan.directory)
        func absolute(_ p: String?) -> String? {
            guard let p else { return nil }
            let expanded = (p as NSString).expandingTildeInPath
            return expanded.hasPrefix("/") ? expanded : base.appendingPathComponent(expanded).standardizedFileURL.path
        }
        let d = plan.dataset
        let dataset = Dataset(name: plan.datasetName, halfMaps: d.halfMaps?.compactMap { absolute($0) }, fullMap: absolute(d.fullMap),
                              mask: absolute(d.mask), model: absolute(d.model), sequence: absolute(d.sequence), voxelSize: d.voxelSize,
                              symmetry: d.symmetry ?? "C1", symmetryOrder: d.symmetryOrder)
        let cells = plan.cells.map { c -> Cell in
            switch c {
            case .markdown(let m): return Cell(markdown: m.text)
            case .analysis(let a): return Cell(id: a.id, kind: a.kind, title: a.title, parameters: AnyEncodable(a.cell))
            }
        }
        return try CanonicalJSON.encode(Document(title: plan.title, dataset: dataset, cells: cells))
    }
}

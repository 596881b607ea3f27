import Foundation
import MapModel
import ModelValidation

/// Which map won where in a composite, and every score behind the weights: what
/// `composite.json`, `composite_table.tsv` and the `composite` cell show.
public struct FocusedCompositeReport: Codable, Sendable, Equatable {
    /// One input map.
    public struct MapSummary: Codable, Sendable, Equatable {
        /// The map's name (file).
        public var name: String
        /// Its model's name.
        public var model: String
        /// Voxels along x, y, z.
        public var size: [Int]
        /// Voxel size (Å).
        public var voxelSize: [Double]
        /// Position of its first voxel (Å).
        public var firstVoxelPosition: [Double]
        /// Correlation with its B = 0 model map over all its residues.
        public var correlation: Double?
        /// Residues where it carries the largest weight.
        public var residuesWon: Int
    }

    /// One residue of the models.
    public struct ResidueRow: Codable, Sendable, Equatable {
        /// Chain, number (with insertion code) and name.
        public var chain: String, number: String, name: String
        /// Each map's correlation over the residue's window (nil: not in its model or not covered).
        public var correlations: [Double?]
        /// Each map's weight at the residue's centre.
        public var weights: [Double]
        /// The map with the largest weight there (index), nil when none reaches it.
        public var winner: Int?
    }

    /// One chain.
    public struct ChainRow: Codable, Sendable, Equatable {
        /// Chain ID.
        public var chain: String
        /// Each map's correlation over the chain.
        public var correlations: [Double?]
        /// The map that wins most of its residues.
        public var winner: Int?
        /// Residues in the chain.
        public var residues: Int
    }

    /// The weighting, in words (also in `FocusedComposite`'s documentation).
    public static let formula = "W_i(x) = cov_i(x)·(A_i(x) + β·Q_i) / Σ_j cov_j(x)·(A_j(x) + β·Q_j), A_i(x) = Σ_r max(0, CC_i(r))^p·exp(−|x − c_r|²/2σ²), Q_i = max(0, CC_i)^p; CC_i(r) is map i's correlation with its B = 0 model map over the residues within the window of r; composite = Σ_i W_i·(m_i − b_i)/σ_i"

    /// The inputs.
    public var maps: [MapSummary]
    /// Per residue.
    public var residues: [ResidueRow]
    /// Per chain.
    public var chains: [ChainRow]
    /// The composite's grid: size, voxel size, first voxel position.
    public var gridSize: [Int], gridVoxelSize: Double, gridFirstVoxelPosition: [Double]
    /// Window half-width, power p, smoothing σ (Å), β.
    public var residueWindow: Int, weightPower: Double, smoothing: Double, background: Double
    /// `formula`.
    public var weighting: String

    init(inputs: [FocusedMapInput], residueSets: [ResidueVoxels], modelIndex: [Int], scores: [MapScores],
         weights: [Volume], grid: VoxelGrid, parameters p: FocusedMapsParameters) {
        let m = inputs.count
        var order: [ResidueID] = []
        var centre: [ResidueID: SIMD3<Double>] = [:]
        var cc: [ResidueID: [Double?]] = [:]
        for i in 0..<m {
            let set = residueSets[modelIndex[i]]
            for (k, id) in set.residues.enumerated() {
                if centre[id] == nil { order.append(id); centre[id] = set.centres[k]; cc[id] = Array(repeating: nil, count: m) }
                cc[id]![i] = scores[i].window[k]
            }
        }
        order.sort()
        func weight(_ w: Volume, at p: SIMD3<Double>) -> Double {
            let u = (p - grid.firstVoxelPosition) / grid.voxelSize
            let i = SIMD3(Int(u.x.rounded()), Int(u.y.rounded()), Int(u.z.rounded()))
            guard all(i .>= .zero), all(i .< grid.size) else { return 0 }
            return Double(w[i.x, i.y, i.z])
        }
        let rowsMade = order.map { id in
            let ws = weights.map { weight($0, at: centre[id]!) }
            let best = ws.indices.max { ws[$0] < ws[$1] }
            return ResidueRow(chain: id.chainID, number: "\(id.number)\(id.insertionCode)", name: id.name, correlations: cc[id]!, weights: ws,
                              winner: best.flatMap { ws[$0] > 0 ? $0 : nil })
        }
        residues = rowsMade
        let chainIDs = Array(Set(order.map(\.chainID))).sorted()
        chains = chainIDs.map { c in
            let rows = rowsMade.filter { $0.chain == c }
            var wins = [Int](repeating: 0, count: m)
            for r in rows { if let w = r.winner { wins[w] += 1 } }
            let best = wins.indices.max { wins[$0] < wins[$1] }
            return ChainRow(chain: c, correlations: (0..<m).map { scores[$0].chains[c] ?? nil }, winner: best.flatMap { wins[$0] > 0 ? $0 : nil },
                            residues: rows.count)
        }
        maps = inputs.enumerated().map { i, input in
            let g = input.map.grid, f = g.firstVoxelPosition
            return MapSummary(name: input.name, model: input.modelName, size: [g.size.x, g.size.y, g.size.z],
                              voxelSize: [g.voxelSize.x, g.voxelSize.y, g.voxelSize.z], firstVoxelPosition: [f.x, f.y, f.z],
                              correlation: scores[i].overall, residuesWon: rowsMade.filter { $0.winner == i }.count)
        }
        gridSize = [grid.size.x, grid.size.y, grid.size.z]
        gridVoxelSize = grid.voxelSize.x
        let f = grid.firstVoxelPosition
        gridFirstVoxelPosition = [f.x, f.y, f.z]
        residueWindow = p.residueWindow; weightPower = p.weightPower; smoothing = p.smoothing; background = p.background
        weighting = Self.formula
    }

    /// The residue table as tab-separated text: chain, residue, name, then per map its
    /// window correlation and weight, then the winning map's name.
    public var residueTable: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "" }
        var header = ["chain", "residue", "name"]
        for (i, _) in maps.enumerated() { header += ["cc_map\(i + 1)", "weight_map\(i + 1)"] }
        header.append("winner")
        var lines = [header.joined(separator: "\t")]
        for r in residues {
            var row = [r.chain, r.number, r.name]
            for i in maps.indices { row += [f(r.correlations[i]), f(r.weights[i])] }
            row.append(r.winner.map { maps[$0].name } ?? "")
            lines.append(row.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

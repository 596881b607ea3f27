import Foundation
import MapbookCore
import MapModel

/// How Q-scores are measured (Pintilie et al. 2020, "Measurement of atom resolvability in
/// cryo-EM maps with Q-scores", Nat. Methods 17:328; Methods, "Q-score").
///
/// The defaults are the paper's: shells every 0.1 Å from 0 to 2 Å around each atom, N = 8
/// points on each shell and a reference Gaussian of width σ = 0.6 Å. For shells where
/// neighbouring atoms hide points, up to 50 tries with 2 more points each time: the retry
/// scheme of the authors' MapQ program as its documentation describes it (the paper says only
/// that hidden points are not used).
public struct QScoreParameters: Sendable, Equatable {
    /// Width σ (Å) of the reference Gaussian. The paper's default is 0.6 Å; EMDB reports use
    /// 0.4 Å, which scores about 0.1 lower. `QScore.expected(atResolution:)` holds for 0.6 Å.
    public var sigma: Double
    /// Points sampled on each shell (the paper's N = 8). Even, since each shell's directions
    /// come in antipodal pairs (see `QScoreSampler`).
    public var pointsPerShell: Int
    /// Distance between shells (Å).
    public var shellStep: Double
    /// Radius of the outermost shell (Å).
    public var maximumRadius: Double
    /// Tries per shell to find `pointsPerShell` points closer to the atom than to any other;
    /// try k uses `pointsPerShell + 2k` directions.
    public var maximumTries: Int

    /// The paper's settings, or another σ / N.
    public init(sigma: Double = 0.6, pointsPerShell: Int = 8, shellStep: Double = 0.1,
                maximumRadius: Double = 2.0, maximumTries: Int = 50) {
        self.sigma = sigma
        self.pointsPerShell = pointsPerShell
        self.shellStep = shellStep
        self.maximumRadius = maximumRadius
        self.maximumTries = maximumTries
    }

    /// Number of shells including the centre (21 for 0, 0.1, …, 2.0 Å).
    public var shellCount: Int { Int((maximumRadius / shellStep).rounded()) + 1 }

    /// Refuses settings that leave Q undefined.
    public func validate() throws {
        guard sigma > 0, sigma.isFinite else { throw MapbookError("Q-score sigma must be positive (got \(sigma))") }
        guard pointsPerShell >= 2, pointsPerShell % 2 == 0 else {
            throw MapbookError("Q-score points per shell must be even and at least 2 (got \(pointsPerShell))")
        }
        guard shellStep > 0, maximumRadius >= shellStep, maximumRadius.isFinite else {
            throw MapbookError("Q-score shells need 0 < step ≤ maximum radius (got \(shellStep), \(maximumRadius))")
        }
        guard maximumTries >= 1 else { throw MapbookError("Q-score needs at least one try per shell") }
    }
}

/// Q-scores of a model in a map: per atom, per residue, per chain and for the whole model.
///
/// Definition (Pintilie et al. 2020, Nat. Methods 17:328, Methods): around each atom, map
/// values u are sampled (trilinear interpolation) at the atom centre and at N points on each
/// sphere of radius 0.1, 0.2, …, 2.0 Å; a point closer to another atom than to this one is not
/// used. The reference values are v(r) = A·exp(−r²/(2σ²)) + B at the same points, with
/// A = m + 10 s and B = m − s, m and s the mean and standard deviation of all map values.
/// Q is the normalised cross-correlation of u and v about their means,
/// Q = (u − ū)·(v − v̄) / (‖u − ū‖ ‖v − v̄‖). (About the mean, Q is unchanged by any A > 0 and
/// any B: A and B are kept as the paper writes them, so the reference profile is the paper's.)
///
/// Averages (our rules, which the paper leaves open for alternates): an atom with no alternate
/// location weighs 1; an atom of an alternate conformer weighs its occupancy, so a residue's
/// conformers together count about as one atom. Residue, chain and model Q are these weighted
/// means over the atoms whose Q is defined (chain and model means are over atoms, as the paper
/// averages a model's atoms, not its residues).
public struct QScore: Sendable {
    /// Q of one residue.
    public struct ResidueScore: Sendable, Equatable, Codable {
        /// The residue.
        public var id: ResidueID
        /// Weighted mean Q of its atoms.
        public var q: Double
        /// Atoms whose Q is defined.
        public var atoms: Int
    }

    /// Q of one chain.
    public struct ChainScore: Sendable, Equatable, Codable {
        /// Chain identifier.
        public var chainID: String
        /// Weighted mean Q of its atoms.
        public var q: Double
        /// Atoms whose Q is defined.
        public var atoms: Int
    }

    /// The scored atoms (no hydrogens; `ModelValidation.scoredAtoms`).
    public var atoms: [Atom]
    /// Q of each of `atoms`; nil where undefined: some sample point outside the map's box, or
    /// the sampled values all equal.
    public var atomQ: [Double?]
    /// Per residue, in chain then residue order; residues with no defined Q are left out.
    public var residues: [ResidueScore]
    /// Per chain, in chain order.
    public var chains: [ChainScore]
    /// The model's weighted mean Q.
    public var mean: Double
    /// The settings used.
    public var parameters: QScoreParameters

    /// Atoms whose Q is undefined.
    public var unscoredAtoms: Int { atomQ.reduce(0) { $0 + ($1 == nil ? 1 : 0) } }

    /// Slope and intercept of expected Q against resolution for σ = 0.6 Å: Pintilie et al.
    /// 2020 fitted model-average Q of deposited cryo-EM maps and models against their reported
    /// resolution R (Å) and published Q = −0.1775·R + 1.1192.
    public static let expectedFit = (slope: -0.1775, intercept: 1.1192)

    /// The Q expected at `resolution` Å for σ = 0.6 Å (the paper's linear fit, `expectedFit`);
    /// nil outside 1–10 Å, where the relation was not fitted and leaves [0, 1].
    public static func expected(atResolution resolution: Double) -> Double? {
        guard resolution >= 1, resolution <= 10 else { return nil }
        return expectedFit.slope * resolution + expectedFit.intercept
    }

    /// Q-scores of `model`'s scored atoms in `map`.
    ///
    /// Throws when the map is flat (standard deviation 0 or not finite), the model has no
    /// scored atoms, or no atom's Q is defined (for instance, the model lies outside the box).
    public static func compute(map: Volume, model: AtomicModel,
                               parameters: QScoreParameters = QScoreParameters()) throws -> QScore {
        try parameters.validate()
        let atoms = ModelValidation.scoredAtoms(model)
        guard !atoms.isEmpty else { throw MapbookError("Q-score: the model has no atoms other than hydrogens") }
        let stats = map.statistics
        guard stats.rms > 0, stats.rms.isFinite, stats.mean.isFinite else {
            throw MapbookError("Q-score: the map is flat or holds non-finite values (mean \(stats.mean), sd \(stats.rms))")
        }
        let reference = (a: stats.mean + 10 * stats.rms, b: stats.mean - stats.rms)
        let sampler = QScoreSampler(atoms: atoms, parameters: parameters)
        let q = sampler.scores(in: map, reference: reference, mapMean: stats.mean)
        return try QScore(atoms: atoms, atomQ: q, parameters: parameters)
    }

    /// Aggregates per-atom Q into residue, chain and model means.
    init(atoms: [Atom], atomQ: [Double?], parameters: QScoreParameters) throws {
        self.atoms = atoms
        self.atomQ = atomQ
        self.parameters = parameters
        residues = ModelValidation.residues(atoms).compactMap { residue in
            guard let m = Self.weightedMean(residue.atoms, atoms, atomQ) else { return nil }
            return ResidueScore(id: residue.id, q: m.q, atoms: m.count)
        }
        var byChain: [String: [Int]] = [:]
        for (i, a) in atoms.enumerated() { byChain[a.chainID, default: []].append(i) }
        chains = byChain.keys.sorted().compactMap { chain in
            guard let m = Self.weightedMean(byChain[chain]!, atoms, atomQ) else { return nil }
            return ChainScore(chainID: chain, q: m.q, atoms: m.count)
        }
        guard let all = Self.weightedMean(Array(atoms.indices), atoms, atomQ) else {
            throw MapbookError("Q-score: no atom could be scored (every atom's sampling sphere leaves the map's box, or the map is flat there)")
        }
        mean = all.q
    }

    /// An atom's weight in averages: its occupancy when it belongs to an alternate conformer,
    /// otherwise 1 (so a partly occupied ligand without alternates still counts whole).
    static func weight(_ atom: Atom) -> Double {
        atom.alternateLocation.isEmpty ? 1 : max(0, atom.occupancy)
    }

    /// Weighted mean Q of `indices` and how many had a defined Q; nil when none did or all
    /// weights are zero.
    static func weightedMean(_ indices: [Int], _ atoms: [Atom], _ q: [Double?]) -> (q: Double, count: Int)? {
        var sum = 0.0, weights = 0.0, count = 0
        for i in indices {
            guard let value = q[i] else { continue }
            let w = weight(atoms[i])
            sum += w * value; weights += w; count += 1
        }
        return weights > 0 ? (sum / weights, count) : nil
    }
}

/// One atom of an atomic model, as PDB and mmCIF files describe it.
public struct Atom: Equatable, Sendable, Codable {
    /// Atom name without padding ("CA", "OE1").
    public var name: String
    /// Alternate-location (conformer) identifier; empty when the atom has a single conformation.
    public var alternateLocation: String
    /// Residue name ("ALA", "HEM").
    public var residueName: String
    /// Chain identifier (PDB chain ID, mmCIF `auth_asym_id`).
    public var chainID: String
    /// Residue number (PDB resSeq, mmCIF `auth_seq_id`).
    public var residueNumber: Int
    /// Residue insertion code; empty when none.
    public var insertionCode: String
    /// Position in Å, in the model's Cartesian frame.
    public var position: SIMD3<Double>
    /// Occupancy, 0 ... 1 (1 when the file leaves it blank).
    public var occupancy: Double
    /// Isotropic B-factor in Å² (the Debye–Waller factor exp(−B s²/4), s = 1/d).
    public var bFactor: Double
    /// Chemical element, from the file's element column or inferred from the atom name.
    public var element: ChemicalElement
    /// Whether the record was HETATM (ligands, ions, water) rather than ATOM.
    public var isHetero: Bool

    /// An atom; the defaults describe a fully occupied, single-conformation polymer atom.
    public init(name: String, element: ChemicalElement, position: SIMD3<Double>, bFactor: Double,
                occupancy: Double = 1, residueName: String, residueNumber: Int, chainID: String,
                alternateLocation: String = "", insertionCode: String = "", isHetero: Bool = false) {
        self.name = name
        self.alternateLocation = alternateLocation
        self.residueName = residueName
        self.chainID = chainID
        self.residueNumber = residueNumber
        self.insertionCode = insertionCode
        self.position = position
        self.occupancy = occupancy
        self.bFactor = bFactor
        self.element = element
        self.isHetero = isHetero
    }
}

/// An atomic model: the atoms of one model (the first, when a file holds an ensemble).
///
/// Alternate conformations are all kept, each atom with its own occupancy, so a density
/// computed from every atom weights the conformers as the file does. `keepingConformer(_:)`
/// selects one instead.
public struct AtomicModel: Equatable, Sendable {
    /// The atoms, in file order.
    public var atoms: [Atom]
    /// How many models (MODEL records, or `pdbx_PDB_model_num` values) the file held; only the
    /// first is in `atoms`.
    public var modelCount: Int

    /// A model made of `atoms`.
    public init(atoms: [Atom], modelCount: Int = 1) {
        self.atoms = atoms
        self.modelCount = modelCount
    }

    /// The alternate-location identifiers used, sorted ("A", "B"); empty when there are none.
    public var alternateLocations: [String] {
        Array(Set(atoms.map(\.alternateLocation).filter { !$0.isEmpty })).sorted()
    }

    /// The model with a single conformer: atoms without an alternate location, plus those of
    /// conformer `id`, whose occupancy is set to 1 (they now stand alone).
    public func keepingConformer(_ id: String) -> AtomicModel {
        var kept: [Atom] = []
        kept.reserveCapacity(atoms.count)
        for var atom in atoms where atom.alternateLocation.isEmpty || atom.alternateLocation == id {
            if !atom.alternateLocation.isEmpty { atom.occupancy = 1 }
            kept.append(atom)
        }
        return AtomicModel(atoms: kept, modelCount: modelCount)
    }

    /// The model moved by `shift` Å.
    public func translated(by shift: SIMD3<Double>) -> AtomicModel {
        var out = self
        for i in out.atoms.indices { out.atoms[i].position += shift }
        return out
    }

    /// Smallest and largest coordinates along each axis (zeros for an empty model).
    public var bounds: (min: SIMD3<Double>, max: SIMD3<Double>) {
        guard let first = atoms.first?.position else { return (.zero, .zero) }
        var lo = first, hi = first
        for a in atoms {
            lo = pointwiseMin(lo, a.position)
            hi = pointwiseMax(hi, a.position)
        }
        return (lo, hi)
    }

    /// The centre of the bounding box.
    public var boxCentre: SIMD3<Double> {
        let b = bounds
        return (b.min + b.max) / 2
    }

    /// Number of atoms of each element.
    public var elementCounts: [ChemicalElement: Int] {
        var counts: [ChemicalElement: Int] = [:]
        for a in atoms { counts[a.element, default: 0] += 1 }
        return counts
    }
}

/// A chemical element, identified by its atomic number (1 = H … 98 = Cf: the elements that
/// have electron scattering factors in International Tables Vol. C).
public struct ChemicalElement: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Atomic number Z.
    public let atomicNumber: Int

    /// Standard symbols, index Z − 1.
    static let symbols = [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
        "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
        "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
        "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
        "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
        "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf",
    ]

    private static let byUppercaseSymbol: [String: Int] = {
        var table: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { table[s.uppercased()] = i + 1 }
        table["D"] = 1 // deuterium scatters electrons as hydrogen does
        return table
    }()

    /// The element with atomic number `z` (1 ... 98).
    public init?(atomicNumber z: Int) {
        guard z >= 1, z <= Self.symbols.count else { return nil }
        atomicNumber = z
    }

    /// The element written `symbol`, in any letter case ("FE", "Fe"); "D" reads as hydrogen.
    public init?(symbol: some StringProtocol) {
        let key = symbol.trimmingSpaces().uppercased()
        guard let z = Self.byUppercaseSymbol[key] else { return nil }
        atomicNumber = z
    }

    /// The standard symbol ("Fe").
    public var symbol: String { Self.symbols[atomicNumber - 1] }

    /// The symbol.
    public var description: String { symbol }

    /// Orders by atomic number.
    public static func < (a: ChemicalElement, b: ChemicalElement) -> Bool { a.atomicNumber < b.atomicNumber }

    /// Hydrogen.
    public static let hydrogen = ChemicalElement(atomicNumber: 1)!
    /// Carbon.
    public static let carbon = ChemicalElement(atomicNumber: 6)!
    /// Nitrogen.
    public static let nitrogen = ChemicalElement(atomicNumber: 7)!
    /// Oxygen.
    public static let oxygen = ChemicalElement(atomicNumber: 8)!
    /// Sulfur.
    public static let sulfur = ChemicalElement(atomicNumber: 16)!

    /// Encoded as its symbol.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(symbol)
    }

    /// Decoded from its symbol.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let e = ChemicalElement(symbol: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown element symbol \(s)")
        }
        self = e
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

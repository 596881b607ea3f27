extension ChemicalElement {
    /// Residues of proteins and nucleic acids, whose atoms are only ever H, C, N, O, S or P: in
    /// them a name starting "CA", "HG" or "NE" means carbon, hydrogen or nitrogen, never
    /// calcium, mercury or neon.
    static let polymerResidues: Set<String> = [
        "ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE", "LEU", "LYS", "MET",
        "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL", "UNK",
        "A", "C", "G", "U", "I", "DA", "DC", "DG", "DT", "DU", "DI", "N",
    ]

    /// The element implied by a PDB atom-name field (columns 13–16, four characters as stored),
    /// for files without an element column (77–78).
    ///
    /// PDB names are aligned so that a one-letter element sits in the field's second column
    /// (" CA " is an alpha carbon, "1HB " a hydrogen) and a two-letter element starts in the
    /// first ("CA  " is calcium, "FE  " iron). Two exceptions: four-character hydrogen names
    /// ("HG21") fill the field from its first column, and in polymer residues a name starting
    /// in the first column is read by its first letter.
    public static func inferred(fromPDBNameField field: some StringProtocol, residueName: some StringProtocol) -> ChemicalElement? {
        let chars = Array(field)
        guard !chars.isEmpty else { return nil }
        let first = chars[0]
        let second: Character = chars.count > 1 ? chars[1] : " "
        if first == " " || first.isNumber {
            return ChemicalElement(symbol: String(second))
        }
        let residue = residueName.trimmingSpaces().uppercased()
        if polymerResidues.contains(residue) { return ChemicalElement(symbol: String(first)) }
        let full = chars.count >= 4 && !chars[0..<4].contains(" ")
        if first.uppercased() == "H" && full { return .hydrogen }
        if second.isLetter, let two = ChemicalElement(symbol: String([first, second])) { return two }
        return ChemicalElement(symbol: String(first))
    }

    /// The element implied by an unaligned atom name (mmCIF `atom_id`), for files without a
    /// `type_symbol`: the first letter after any leading digits, except that a two-letter
    /// element is read when the name is the residue's name (ions such as ZN, MG, NA, CL) or
    /// when the name is exactly a two-letter element whose first letter is not H, C, N, O, S
    /// or P ("FE" in a haem).
    public static func inferred(fromAtomName name: some StringProtocol, residueName: some StringProtocol) -> ChemicalElement? {
        let trimmed = name.trimmingSpaces().drop(while: { $0.isNumber })
        guard let first = trimmed.first, first.isLetter else { return nil }
        let residue = residueName.trimmingSpaces().uppercased()
        if !polymerResidues.contains(residue), trimmed.count >= 2 {
            let two = String(trimmed.prefix(2))
            let second = trimmed[trimmed.index(after: trimmed.startIndex)]
            if second.isLetter, let element = ChemicalElement(symbol: two) {
                if trimmed.uppercased() == residue { return element }
                if trimmed.count == 2 && !"HCNOSP".contains(Character(first.uppercased())) { return element }
            }
        }
        return ChemicalElement(symbol: String(first))
    }
}

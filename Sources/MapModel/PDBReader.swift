import MapbookCore

/// Reads the coordinate section of a PDB-format file (ATOM and HETATM records of the first
/// model), following the wwPDB format v3.3 column layout.
///
/// Accepted leniently, as real files need: short lines (blank occupancy reads as 1, blank
/// B-factor as 0, a missing element column is inferred from the atom name), four-character
/// residue names in columns 18–21, and hybrid-36 residue numbers beyond 9999. Refused, with the
/// file, the line and the reason: coordinates, occupancy or B-factor that are not numbers, an
/// unknown element symbol, an atom whose element cannot be told, and a file with no atoms.
enum PDBReader {
    /// Reads the atoms in `text` (the file's bytes); `path` names the file in errors.
    static func read(_ text: [UInt8], path: String) throws -> AtomicModel {
        var atoms: [Atom] = []
        var models = 0
        for line in TextLines(bytes: text) {
            if line.hasPrefix("MODEL ") || (line.count == 5 && line.hasPrefix("MODEL")) {
                models += 1
                continue
            }
            guard line.hasPrefix("ATOM  ") || line.hasPrefix("HETATM") else { continue }
            if models > 1 { continue } // only the first model is read
            atoms.append(try atom(line, path: path))
        }
        guard !atoms.isEmpty else {
            throw MapbookError("no ATOM or HETATM records: not a PDB coordinate file", path: path)
        }
        return AtomicModel(atoms: atoms, modelCount: max(1, models))
    }

    /// One ATOM/HETATM record.
    static func atom(_ line: TextLines.Line, path: String) throws -> Atom {
        func fail(_ why: String) -> MapbookError { MapbookError(why, path: "\(path):\(line.number)") }
        func number(_ what: String, _ first: Int, _ last: Int, blank: Double?) throws -> Double {
            let text = line.columns(first, last).trimmingSpaces()
            if text.isEmpty, let blank { return blank }
            guard let v = Double(text), v.isFinite else {
                throw fail("cannot read the \(what) from columns \(first)–\(last): \"\(text)\"")
            }
            return v
        }
        guard line.count >= 54 else {
            throw fail("\(line.hasPrefix("ATOM  ") ? "ATOM" : "HETATM") record has \(line.count) columns; the coordinates need columns 31–54")
        }
        let x = try number("x coordinate", 31, 38, blank: nil)
        let y = try number("y coordinate", 39, 46, blank: nil)
        let z = try number("z coordinate", 47, 54, blank: nil)
        let occupancy = try number("occupancy", 55, 60, blank: 1)
        let bFactor = try number("B-factor", 61, 66, blank: 0)
        let nameField = line.columns(13, 16)
        let residueName = String(line.columns(18, 21).trimmingSpaces())
        let residueText = line.columns(23, 26).trimmingSpaces()
        guard let residueNumber = residueText.isEmpty ? 0 : Hybrid36.decode(residueText, width: 4) else {
            throw fail("cannot read the residue number from columns 23–26: \"\(residueText)\"")
        }
        let element: ChemicalElement
        let symbol = line.columns(77, 78).trimmingSpaces()
        if !symbol.isEmpty {
            guard let e = ChemicalElement(symbol: symbol) else {
                throw fail("unknown element \"\(symbol)\" in columns 77–78")
            }
            element = e
        } else {
            guard let e = ChemicalElement.inferred(fromPDBNameField: nameField.paddedTo(4), residueName: residueName) else {
                throw fail("cannot tell the element of atom \"\(nameField.trimmingSpaces())\": columns 77–78 are blank and the name does not start with an element")
            }
            element = e
        }
        return Atom(name: String(nameField.trimmingSpaces()), element: element, position: SIMD3(x, y, z),
                    bFactor: bFactor, occupancy: occupancy, residueName: residueName,
                    residueNumber: residueNumber, chainID: String(line.columns(22, 22).trimmingSpaces()),
                    alternateLocation: String(line.columns(17, 17).trimmingSpaces()),
                    insertionCode: String(line.columns(27, 27).trimmingSpaces()),
                    isHetero: line.hasPrefix("HETATM"))
    }
}

/// Hybrid-36 numbers (the wwPDB convention for serials and residue numbers that outgrow their
/// columns): plain decimal up to 10^w − 1, then base 36 with upper-case letters, then with
/// lower-case letters.
enum Hybrid36 {
    /// The value of `text` in a field of `width` characters, or nil when it is not a number.
    static func decode(_ text: some StringProtocol, width: Int) -> Int? {
        if let v = Int(text) { return v }
        guard text.count == width, let first = text.first, first.isLetter else { return nil }
        let upper = first.isUppercase
        var value = 0
        for c in text {
            guard let d = letterValue(c, upper: upper) else { return nil }
            value = value * 36 + d
        }
        var span = 1
        for _ in 0..<(width - 1) { span *= 36 }
        var decimalLimit = 1
        for _ in 0..<width { decimalLimit *= 10 }
        // Upper case starts at "A000…" = 10·36^(w−1); lower case follows the upper-case range.
        return upper ? value - 10 * span + decimalLimit : value - 10 * span + decimalLimit + 26 * span
    }

    private static func letterValue(_ c: Character, upper: Bool) -> Int? {
        guard let a = c.asciiValue else { return nil }
        if c.isNumber { return Int(a - 48) }
        if upper, a >= 65, a <= 90 { return Int(a - 65) + 10 }
        if !upper, a >= 97, a <= 122 { return Int(a - 97) + 10 }
        return nil
    }
}

extension StringProtocol {
    /// The text padded with spaces (or cut) to `length` characters.
    func paddedTo(_ length: Int) -> String {
        let s = String(prefix(length))
        return s.count < length ? s + String(repeating: " ", count: length - s.count) : s
    }
}

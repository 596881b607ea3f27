import MapbookCore

/// Reads the atoms of the first model from the `_atom_site` category of an mmCIF file, as a
/// loop or as single tag–value pairs.
///
/// Author fields are preferred where PDB files carry them (`auth_atom_id`, `auth_comp_id`,
/// `auth_asym_id`, `auth_seq_id`), so a structure reads the same from its PDB and mmCIF files;
/// the `label_` fields stand in when the author ones are absent or null. The element comes from
/// `type_symbol` (charges such as "FE2+" are dropped), else from the atom name. Refused with
/// the file, the line and the reason: bad CIF syntax, a row with too few values, coordinates,
/// occupancy or B that are not numbers, unknown elements, and a file without `_atom_site`.
enum MMCIFReader {
    /// The `_atom_site` items the reader uses (lower case, without the category).
    private enum Item: String, CaseIterable {
        case group = "group_pdb", typeSymbol = "type_symbol"
        case authAtom = "auth_atom_id", labelAtom = "label_atom_id", altID = "label_alt_id"
        case authComp = "auth_comp_id", labelComp = "label_comp_id"
        case authAsym = "auth_asym_id", labelAsym = "label_asym_id"
        case authSeq = "auth_seq_id", labelSeq = "label_seq_id", insertion = "pdbx_pdb_ins_code"
        case x = "cartn_x", y = "cartn_y", z = "cartn_z"
        case occupancy = "occupancy", bFactor = "b_iso_or_equiv", model = "pdbx_pdb_model_num"
    }

    /// Reads the atoms in `text` (the file's bytes); `path` names the file in errors.
    static func read(_ text: [UInt8], path: String) throws -> AtomicModel {
        var tokens = CIFTokenizer(text)
        func next() throws -> CIFTokenizer.Token? {
            do { return try tokens.next() } catch {
                throw MapbookError("mmCIF syntax: \(error.reason)", path: "\(path):\(error.line)")
            }
        }
        var atoms: [Atom] = []
        var models: [Int] = []
        var pairs: [(tag: Substring, value: CIFTokenizer.Token)] = []
        var pending = try next()
        while let token = pending {
            pending = try next()
            if !token.quoted && token.text.lowercased() == "loop_" {
                var tags: [Substring] = []
                while let t = pending, t.isTag { tags.append(t.text); pending = try next() }
                var values: [CIFTokenizer.Token] = []
                while let v = pending, !v.isTag, !v.isReserved { values.append(v); pending = try next() }
                guard tags.first.map(isAtomSite) ?? false else { continue }
                guard values.count % tags.count == 0 else {
                    let partial = values.count - values.count % tags.count
                    throw MapbookError("_atom_site row has \(values.count - partial) of its \(tags.count) values (\(tags.count) tags, \(values.count) values in the loop)", path: "\(path):\(values[partial].line)")
                }
                try readRows(tags: tags, values: values, path: path, into: &atoms, models: &models)
            } else if token.isTag && isAtomSite(token.text) {
                guard let value = pending, !value.isTag, !value.isReserved else {
                    throw MapbookError("\(token.text) has no value", path: "\(path):\(token.line)")
                }
                pairs.append((token.text, value))
                pending = try next()
            }
        }
        if atoms.isEmpty && !pairs.isEmpty {
            try readRows(tags: pairs.map(\.tag), values: pairs.map(\.value), path: path, into: &atoms, models: &models)
        }
        guard !atoms.isEmpty else {
            throw MapbookError("no _atom_site records: not an mmCIF coordinate file", path: path)
        }
        return AtomicModel(atoms: atoms, modelCount: max(1, Set(models).count))
    }

    private static func isAtomSite(_ tag: Substring) -> Bool {
        tag.count > 11 && tag.prefix(11).lowercased() == "_atom_site."
    }

    /// Converts rows of `values` (row-major, `tags.count` per row) into atoms of the first model.
    private static func readRows(tags: [Substring], values: [CIFTokenizer.Token], path: String,
                                 into atoms: inout [Atom], models: inout [Int]) throws {
        var column: [Item: Int] = [:]
        for (i, tag) in tags.enumerated() {
            if let item = Item(rawValue: tag.dropFirst(11).lowercased()) { column[item] = i }
        }
        for needed in [Item.x, .y, .z] where column[needed] == nil {
            throw MapbookError("_atom_site has no _atom_site.Cartn_\(needed.rawValue.suffix(1)) column", path: path)
        }
        let width = tags.count
        var firstModel: Int? = models.first
        for row in stride(from: 0, to: values.count, by: width) {
            func value(_ item: Item) -> CIFTokenizer.Token? {
                guard let c = column[item] else { return nil }
                let v = values[row + c]
                return v.isNull ? nil : v
            }
            func text(_ preferred: Item, _ fallback: Item? = nil) -> String {
                if let v = value(preferred) { return String(v.text) }
                if let fallback, let v = value(fallback) { return String(v.text) }
                return ""
            }
            func number(_ item: Item, _ what: String, default fallback: Double?) throws -> Double {
                guard let v = value(item) else {
                    if let fallback { return fallback }
                    let line = values[row + column[item]!].line
                    throw MapbookError("\(what) (_atom_site.\(item.rawValue)) is missing", path: "\(path):\(line)")
                }
                guard let d = Double(v.text), d.isFinite else {
                    throw MapbookError("cannot read the \(what) (_atom_site.\(item.rawValue)): \"\(v.text)\"", path: "\(path):\(v.line)")
                }
                return d
            }
            let line = values[row].line
            if let m = value(.model) {
                guard let model = Int(m.text) else {
                    throw MapbookError("model number is not an integer: \"\(m.text)\"", path: "\(path):\(m.line)")
                }
                if !models.contains(model) { models.append(model) }
                if firstModel == nil { firstModel = model }
                if model != firstModel { continue }
            }
            let x = try number(.x, "x coordinate", default: nil)
            let y = try number(.y, "y coordinate", default: nil)
            let z = try number(.z, "z coordinate", default: nil)
            let occupancy = try number(.occupancy, "occupancy", default: 1)
            let bFactor = try number(.bFactor, "B-factor", default: 0)
            let name = text(.authAtom, .labelAtom)
            let residueName = text(.authComp, .labelComp)
            let sequenceText = text(.authSeq, .labelSeq)
            let residueNumber: Int
            if sequenceText.isEmpty { residueNumber = 0 } else {
                guard let n = Int(sequenceText) else {
                    throw MapbookError("residue number is not an integer: \"\(sequenceText)\"", path: "\(path):\(line)")
                }
                residueNumber = n
            }
            let element: ChemicalElement
            if let symbol = value(.typeSymbol) {
                let bare = symbol.text.prefix { $0.isLetter }
                guard let e = ChemicalElement(symbol: bare) else {
                    throw MapbookError("unknown element \"\(symbol.text)\" (_atom_site.type_symbol)", path: "\(path):\(symbol.line)")
                }
                element = e
            } else {
                guard let e = ChemicalElement.inferred(fromAtomName: name, residueName: residueName) else {
                    throw MapbookError("cannot tell the element of atom \"\(name)\": no type_symbol and the name does not start with an element", path: "\(path):\(line)")
                }
                element = e
            }
            atoms.append(Atom(name: name, element: element, position: SIMD3(x, y, z), bFactor: bFactor,
                              occupancy: occupancy, residueName: residueName, residueNumber: residueNumber,
                              chainID: text(.authAsym, .labelAsym), alternateLocation: text(.altID),
                              insertionCode: text(.insertion), isHetero: text(.group).uppercased() == "HETATM"))
        }
    }
}

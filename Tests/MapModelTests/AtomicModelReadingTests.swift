import Foundation
import Testing
import TestSupport
import MapbookCore
@testable import MapModel

/// mmCIF text for `model`, written independently of the reader and deliberately awkward:
/// columns in an unusual order, label and auth fields, quoted names, null markers, a comment
/// and each row split over two lines.
func mmCIFText(_ model: AtomicModel) -> String {
    var s = "data_test\n# written by the test\n_entry.id TEST\nloop_\n"
    let tags = ["group_PDB", "id", "Cartn_x", "Cartn_y", "Cartn_z", "type_symbol", "label_atom_id",
                "label_alt_id", "label_comp_id", "label_asym_id", "label_seq_id", "pdbx_PDB_ins_code",
                "occupancy", "B_iso_or_equiv", "auth_seq_id", "auth_comp_id", "auth_asym_id",
                "auth_atom_id", "pdbx_PDB_model_num"]
    for t in tags { s += "_atom_site.\(t)\n" }
    func quote(_ v: String) -> String {
        if v.isEmpty { return "?" }
        return v.contains("'") ? "\"\(v)\"" : (v.contains(" ") ? "'\(v)'" : v)
    }
    for (i, a) in model.atoms.enumerated() {
        s += "\(a.isHetero ? "HETATM" : "ATOM") \(i + 1) "
        s += String(format: "%.3f %.3f %.3f ", a.position.x, a.position.y, a.position.z)
        s += "\(a.element.symbol.uppercased()) \(quote(a.name)) \(a.alternateLocation.isEmpty ? "." : a.alternateLocation) "
        s += "\(a.residueName) X\(a.chainID) .\n"
        s += "\(quote(a.insertionCode)) \(String(format: "%.2f %.2f", a.occupancy, a.bFactor)) \(a.residueNumber) \(a.residueName) \(quote(a.chainID)) \(quote(a.name)) 1\n"
    }
    return s + "#\nloop_\n_other.a\n_other.b\n1 2\n"
}

@Suite("Atomic models: PDB and mmCIF reading")
struct AtomicModelReadingTests {
    @Test("PDB and mmCIF of the same structure give the same atoms", arguments: ["io/6vyb_Ndom.pdb", "emd_3488/5me2.pdb"])
    func pdbEqualsMMCIF(relative: String) throws {
        guard let path = SharedData.path(relative) else { return }
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let pdb = try AtomicModelFile.read(path: path)
        let cif = tmp.file("model.cif")
        try mmCIFText(pdb).write(toFile: cif, atomically: true, encoding: .utf8)
        let fromCIF = try AtomicModelFile.read(path: cif)
        #expect(fromCIF.atoms.count == pdb.atoms.count)
        #expect(fromCIF.atoms == pdb.atoms)
        // Spot checks against the file's text.
        if relative.hasSuffix("5me2.pdb") {
            #expect(pdb.atoms.count == 4468)
            let first = pdb.atoms[0]
            #expect(first.name == "N" && first.residueName == "VAL" && first.chainID == "A" && first.residueNumber == 1)
            #expect(first.position == SIMD3(45.985, 56.004, 67.793) && first.occupancy == 1 && first.bFactor == 23.13)
            #expect(pdb.elementCounts[ChemicalElement(symbol: "Fe")!] == 4)
            #expect(pdb.atoms.filter(\.isHetero).count == 172)
        }
    }

    @Test("an mmCIF file written by hand: text fields, comments, two models, pairs form")
    func handWrittenMMCIF() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let text = """
        data_1ABC
        _struct.title
        ;A title that spans
        two lines with 'quotes' and loop_ inside
        ;
        loop_
        _atom_site.group_PDB
        _atom_site.id
        _atom_site.type_symbol
        _atom_site.label_atom_id
        _atom_site.label_alt_id
        _atom_site.label_comp_id
        _atom_site.label_asym_id
        _atom_site.label_seq_id
        _atom_site.Cartn_x
        _atom_site.Cartn_y
        _atom_site.Cartn_z
        _atom_site.occupancy
        _atom_site.B_iso_or_equiv
        _atom_site.pdbx_formal_charge
        _atom_site.pdbx_PDB_model_num
        ATOM   1 N  N     . GLY A 1 1.000 2.000 3.000 1.00 10.0 ? 1
        ATOM   2 C  CA    A GLY A 1 1.500 2.500 3.500 0.60 11.0 ? 1 # a comment
        ATOM   3 C  CA    B GLY A 1 1.600 2.600 3.600 0.40 12.0 ? 1
        ATOM   4 C  "C5'" . DA  B 2 4.0   5.0   6.0   1     20   ? 1
        HETATM 5 FE FE    . HEM C . 7.0   8.0   9.0   1     30   ? 1
        HETATM 6 ZN ZN    . ZN  D . 7.0   8.0   9.0   0.5   30   2+ 1
        ATOM   1 N  N     . GLY A 1 9.000 9.000 9.000 1.00 10.0 ? 2
        #
        """
        let path = tmp.file("hand.cif")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let m = try AtomicModelFile.read(path: path)
        #expect(m.atoms.count == 6)
        #expect(m.modelCount == 2)
        #expect(m.atoms.map(\.element.symbol) == ["N", "C", "C", "C", "Fe", "Zn"])
        #expect(m.atoms[3].name == "C5'")
        #expect(m.atoms[4].isHetero && m.atoms[4].residueNumber == 0 && m.atoms[4].chainID == "C")
        #expect(m.alternateLocations == ["A", "B"])
        #expect(m.atoms[1].occupancy == 0.6 && m.atoms[1].bFactor == 11)

        let single = """
        data_x
        _atom_site.group_PDB ATOM
        _atom_site.id 1
        _atom_site.label_atom_id OG
        _atom_site.label_comp_id SER
        _atom_site.label_asym_id A
        _atom_site.label_seq_id 5
        _atom_site.Cartn_x 1.25
        _atom_site.Cartn_y -2.5
        _atom_site.Cartn_z 3
        """
        let singlePath = tmp.file("single.mmcif")
        try single.write(toFile: singlePath, atomically: true, encoding: .utf8)
        let s = try AtomicModelFile.read(path: singlePath)
        #expect(s.atoms.count == 1)
        #expect(s.atoms[0].element == .oxygen, "no type_symbol: inferred from the name")
        #expect(s.atoms[0].position == SIMD3(1.25, -2.5, 3) && s.atoms[0].occupancy == 1 && s.atoms[0].bFactor == 0)
    }

    @Test("elements are inferred from PDB atom names when columns 77–78 are blank")
    func elementInference() {
        let cases: [(String, String, String)] = [
            (" CA ", "ALA", "C"), ("CA  ", "CA", "Ca"), ("FE  ", "HEM", "Fe"), (" NA ", "HEM", "N"),
            ("HG21", "THR", "H"), ("1HB ", "ALA", "H"), ("SE  ", "MSE", "Se"), (" OXT", "GLY", "O"),
            ("HD11", "LIG", "H"), ("CL  ", "CL", "Cl"), (" SD ", "MET", "S"), ("MG  ", "MG", "Mg"),
            ("CA", "ALA", "C"), ("ZN", "ZN", "Zn"),
        ]
        for (field, residue, symbol) in cases {
            #expect(ChemicalElement.inferred(fromPDBNameField: field, residueName: residue)?.symbol == symbol, "\(field) in \(residue)")
        }
        let unaligned: [(String, String, String)] = [
            ("CA", "ALA", "C"), ("CA", "CA", "Ca"), ("FE", "HEM", "Fe"), ("NA", "HEM", "N"), ("HG21", "THR", "H"),
            ("NA", "NA", "Na"), ("1HB", "ALA", "H"), ("CL1", "LIG", "C"),
        ]
        for (name, residue, symbol) in unaligned {
            #expect(ChemicalElement.inferred(fromAtomName: name, residueName: residue)?.symbol == symbol, "\(name) in \(residue)")
        }
        #expect(ChemicalElement(symbol: "fe")?.atomicNumber == 26)
        #expect(ChemicalElement(symbol: "D") == .hydrogen)
        #expect(ChemicalElement(symbol: "Xx") == nil)
    }

    @Test("a PDB file without element columns, with alternate conformations and two models")
    func pdbWithoutElements() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let lines = [
            "HEADER    TEST",
            "MODEL        1",
            "ATOM      1  N   SER A   5      10.000  11.000  12.000  1.00 20.00",
            "ATOM      2  CA ASER A   5      10.500  11.500  12.500  0.70 21.00",
            "ATOM      3  CA BSER A   5      10.600  11.600  12.600  0.30 22.00",
            "ATOM      4  OG ASER A   5      11.000  12.000  13.000  0.70 23.00",
            "ATOM      5  OG BSER A   5      11.100  12.100  13.100  0.30 24.00",
            "ATOM      6 HG21 THR AA000      13.000  14.000  15.000",
            "HETATM    7 FE   HEM A 201      20.000  21.000  22.000  1.00 30.00",
            "HETATM    8 CA    CA A 301      25.000  26.000  27.000  1.00 35.00",
            "ENDMDL",
            "MODEL        2",
            "ATOM      1  N   SER A   5      99.000  99.000  99.000  1.00 20.00",
            "ENDMDL",
        ]
        let path = tmp.file("noelements.pdb")
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let m = try AtomicModelFile.read(path: path)
        #expect(m.modelCount == 2)
        #expect(m.atoms.count == 8)
        #expect(m.atoms.map(\.element.symbol) == ["N", "C", "C", "O", "O", "H", "Fe", "Ca"])
        #expect(m.alternateLocations == ["A", "B"])
        #expect(m.atoms[5].residueNumber == 10000, "hybrid-36 A000 is 10000")
        #expect(m.atoms[5].occupancy == 1 && m.atoms[5].bFactor == 0, "blank occupancy reads as 1, blank B as 0")
        let a = m.keepingConformer("A")
        #expect(a.atoms.count == 6)
        #expect(a.atoms.allSatisfy { $0.alternateLocation != "B" && $0.occupancy == 1 || $0.alternateLocation.isEmpty })
        #expect(a.alternateLocations == ["A"])
        // Total occupancy of the serine side chain is 1 either way.
        let og = m.atoms.filter { $0.name == "OG" }.map(\.occupancy).reduce(0, +)
        #expect(abs(og - 1) < 1e-12)
    }

    @Test("gzip-compressed models read like plain ones", arguments: ["model.pdb.gz", "model.cif.gz", "noextension.gz"])
    func gzip(name: String) throws {
        guard let path = SharedData.path("io/6vyb_Ndom.pdb") else { return }
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let plain = try AtomicModelFile.read(path: path)
        let source = tmp.file("source")
        if name.contains("cif") || name.hasPrefix("noextension") {
            try mmCIFText(plain).write(toFile: source, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.copyItem(atPath: path, toPath: source)
        }
        let gz = tmp.file(name)
        let r = ExternalTool.run("sh", ["-c", "gzip -c '\(source)' > '\(gz)'"])
        #expect(r?.status == 0)
        let read = try AtomicModelFile.read(path: gz)
        #expect(read.atoms == plain.atoms)
    }

    @Test("written PDB files read back identically")
    func roundTrip() throws {
        guard let path = SharedData.path("emd_3488/5me2.pdb") else { return }
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let model = try AtomicModelFile.read(path: path)
        let out = tmp.file("out.pdb")
        try AtomicModelFile.writePDB(model, to: out, remarks: ["written by a test"])
        let back = try AtomicModelFile.read(path: out)
        #expect(back.atoms == model.atoms)
        // Lines are 80 columns with the element right-justified in 77–78.
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let atomLines = text.split(separator: "\n").filter { $0.hasPrefix("ATOM") || $0.hasPrefix("HETATM") }
        #expect(atomLines.allSatisfy { $0.count == 78 })
        #expect(text.contains("\nTER ") && text.hasSuffix("END\n"))
        for v in [0, 9999, 10000, 10001, 1_000_000, 2_000_000, -999] {
            #expect(Hybrid36.decode(Hybrid36.encode(v, width: 4).trimmingSpaces(), width: 4) == v || v < -999, "\(v)")
        }
        #expect(Hybrid36.encode(100_000, width: 5) == "A0000")
        #expect(Hybrid36.decode("A0000", width: 5) == 100_000)
    }

    @Test("errors name the file and the line, on one line")
    func errors() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        func expectError(_ name: String, _ text: String, line: Int?, _ phrases: String..., sourceLocation: SourceLocation = #_sourceLocation) {
            let path = tmp.file(name)
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            guard let e = mapbookError({ _ = try AtomicModelFile.read(path: path) }, sourceLocation: sourceLocation) else { return }
            let prefix = line.map { "\(path):\($0): " } ?? "\(path): "
            #expect(e.description.hasPrefix(prefix), "\(e.description)", sourceLocation: sourceLocation)
            #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
            for p in phrases { #expect(e.description.contains(p), "\"\(p)\" missing from \(e.description)", sourceLocation: sourceLocation) }
        }
        let good = "ATOM      1  N   SER A   5      10.000  11.000  12.000  1.00 20.00           N"
        expectError("badx.pdb", "REMARK\n" + good + "\n" + good.replacingOccurrences(of: "10.000", with: "1O.000") + "\n",
                    line: 3, "x coordinate", "columns 31–38", "1O.000")
        expectError("badb.pdb", good.replacingOccurrences(of: "20.00", with: "twenty") + "\n", line: 1, "B-factor")
        expectError("short.pdb", good + "\nATOM      2  CA  SER A   5      10.000  11.000\n", line: 2, "columns 31–54")
        expectError("element.pdb", good.replacingOccurrences(of: "           N", with: "          QQ") + "\n", line: 1, "unknown element", "QQ")
        expectError("noname.pdb", "ATOM      1 1234 SER A   5      10.000  11.000  12.000\n", line: 1, "cannot tell the element")
        expectError("resnum.pdb", good.replacingOccurrences(of: "   5  ", with: "  x5  ") + "\n", line: 1, "residue number")
        expectError("empty.pdb", "\n\n", line: nil, "empty")
        expectError("noatoms.pdb", "HEADER    NOTHING\nEND\n", line: nil, "no ATOM or HETATM")
        let cifHead = "data_x\nloop_\n_atom_site.id\n_atom_site.type_symbol\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n"
        expectError("short.cif", cifHead + "1 C 1 2 3\n2 C 1 2\n", line: 9, "4 of its 5 values")
        expectError("quote.cif", cifHead + "1 C 1 2 3\n2 'C 1 2 3\n", line: 9, "quoted value")
        expectError("badcoord.cif", cifHead + "1 C 1 2 3\n2 C 1 abc 3\n", line: 9, "y coordinate", "abc")
        expectError("element.cif", cifHead + "1 Qx 1 2 3\n", line: 8, "unknown element")
        expectError("nocoords.cif", "data_x\nloop_\n_atom_site.id\n_atom_site.Cartn_x\n1 2\n", line: nil, "Cartn_y")
        expectError("noatoms.cif", "data_x\n_entry.id X\n", line: nil, "no _atom_site")
        expectError("text.cif", "data_x\n;never closed\n", line: 2, "text field")
        if let e = mapbookError({ _ = try AtomicModelFile.read(path: tmp.file("absent.pdb")) }) {
            #expect(e.description == "\(tmp.file("absent.pdb")): file not found")
        }
        if let e = mapbookError({ _ = try AtomicModelFile.read(path: tmp.path) }) {
            #expect(e.description.contains("folder, not a model file"))
        }
    }
}

@Suite("Model files too large to read")
struct ModelSizeLimitTests {
    @Test("a gzip file that expands past the limit, and a plain one larger than it, are refused in one line naming the file")
    func limit() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        // 3 MB of one repeated line: gzip shrinks it about a thousandfold.
        let line = "ATOM      1  CA  ALA A   1      11.104  13.207   2.100  1.00 20.00           C\n"
        try String(repeating: line, count: 3_000_000 / line.utf8.count).write(toFile: tmp.file("big.pdb"), atomically: true, encoding: .utf8)
        let r = ExternalTool.run("sh", ["-c", "gzip -c '\(tmp.file("big.pdb"))' > '\(tmp.file("bomb.pdb.gz"))'"])
        #expect(r?.status == 0)
        let compressed = try FileManager.default.attributesOfItem(atPath: tmp.file("bomb.pdb.gz"))[.size] as! Int
        #expect(compressed < 100_000, "the test needs a small file that expands: \(compressed) bytes")
        for name in ["bomb.pdb.gz", "big.pdb"] {
            #expect { _ = try AtomicModelFile.read(path: tmp.file(name), sizeLimit: 1 << 20) } throws: { e in
                "\(e)" == "\(tmp.file(name)): holds more than 1.0 MiB (decompressed): too large for a model file"
            }
        }
        // Under the limit the same files read.
        #expect(try AtomicModelFile.read(path: tmp.file("bomb.pdb.gz"), sizeLimit: 4 << 20).atoms.count == 3_000_000 / line.utf8.count)
    }
}

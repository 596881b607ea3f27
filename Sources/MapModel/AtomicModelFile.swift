import MapbookCore

/// Reading atomic models from PDB and mmCIF files, plain or gzip-compressed.
public enum AtomicModelFile {
    /// The two coordinate formats.
    public enum Format: String, Sendable, Codable {
        /// wwPDB fixed-column format (ATOM/HETATM records).
        case pdb
        /// PDBx/mmCIF (`_atom_site` category).
        case mmCIF
    }

    /// Reads the first model in the file at `path` (`.pdb`, `.ent`, `.cif`, `.mmcif`, each
    /// optionally `.gz`; other names are recognised by content: mmCIF starts with `data_`).
    /// Every failure is a one-line `MapbookError` naming the file, and the line when the fault
    /// is in one.
    public static func read(path: String) throws -> AtomicModel {
        try read(path: path, sizeLimit: sizeLimit)
    }

    /// The most a model file may hold, decompressed: 4 GiB, ten times the largest mmCIF files of
    /// the PDB archive, so that a gzip file that expands without end is refused, not read.
    static let sizeLimit = 4 << 30

    static func read(path: String, sizeLimit: Int) throws -> AtomicModel {
        let input = try MapInputStream(path: path, kind: "model file")
        let bytes = try input.readToEnd(limit: sizeLimit, what: "a model file")
        guard bytes.contains(where: { $0 > 32 }) else {
            throw MapbookError("file is empty: not a PDB or mmCIF model", path: path)
        }
        switch format(path: path, bytes: bytes) {
        case .pdb: return try PDBReader.read(bytes, path: path)
        case .mmCIF: return try MMCIFReader.read(bytes, path: path)
        }
    }

    /// The format of a file, from its name or, failing that, its first word.
    static func format(path: String, bytes: [UInt8]) -> Format {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".cif") || name.hasSuffix(".mmcif") { return .mmCIF }
        if name.hasSuffix(".pdb") || name.hasSuffix(".ent") { return .pdb }
        for line in TextLines(bytes: bytes) {
            let text = line.columns(1, 80).trimmingSpaces()
            if text.isEmpty || text.hasPrefix("#") { continue }
            return text.lowercased().hasPrefix("data_") ? .mmCIF : .pdb
        }
        return .pdb
    }
}

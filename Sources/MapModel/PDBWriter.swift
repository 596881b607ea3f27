import Foundation
import MapbookCore

extension AtomicModelFile {
    /// The model as PDB-format text: optional REMARK lines, ATOM/HETATM records with element
    /// columns, a TER after each chain, and END.
    ///
    /// Atom names are aligned as the format requires (a one-letter element in the name field's
    /// second column), so any reader infers the same elements. Serial numbers past 99999 and
    /// residue numbers past 9999 are written in hybrid-36. Coordinates must fit the 8-column
    /// fields (−999.999 ... 9999.999 Å).
    public static func pdbText(_ model: AtomicModel, remarks: [String] = []) throws -> String {
        var out = ""
        out.reserveCapacity(81 * (model.atoms.count + remarks.count + 8))
        for remark in remarks {
            out += "REMARK 250 " + String(remark.prefix(69)) + "\n"
        }
        var serial = 0
        for (i, a) in model.atoms.enumerated() {
            guard (0..<3).allSatisfy({ a.position[$0] > -999.9995 && a.position[$0] < 9999.9995 }) else {
                throw MapbookError("atom \(i + 1) (\(a.name) \(a.residueName) \(a.residueNumber)) lies at \(a.position.x), \(a.position.y), \(a.position.z) Å, outside what PDB columns can hold; write mmCIF instead")
            }
            serial += 1
            let symbol = a.element.symbol.uppercased()
            let name = a.name.count < 4 && symbol.count == 1 ? " " + a.name : a.name
            var line = a.isHetero ? "HETATM" : "ATOM  "
            line += Hybrid36.encode(serial, width: 5) + " "
            line += name.paddedTo(4)
            line += a.alternateLocation.paddedTo(1)
            line += right(a.residueName, 3)
            line += " " + a.chainID.paddedTo(1)
            line += Hybrid36.encode(a.residueNumber, width: 4)
            line += a.insertionCode.paddedTo(1) + "   "
            line += String(format: "%8.3f%8.3f%8.3f%6.2f%6.2f", a.position.x, a.position.y, a.position.z, a.occupancy, a.bFactor)
            line += String(repeating: " ", count: 10) + right(symbol, 2)
            out += line + "\n"
            let next = i + 1 < model.atoms.count ? model.atoms[i + 1] : nil
            if !a.isHetero && (next == nil || next!.chainID != a.chainID || next!.isHetero) {
                serial += 1
                out += "TER   " + Hybrid36.encode(serial, width: 5) + "      " + right(a.residueName, 3)
                    + " " + a.chainID.paddedTo(1) + Hybrid36.encode(a.residueNumber, width: 4) + "\n"
            }
        }
        out += "END\n"
        return out
    }

    /// Writes the model as PDB text to `path`, atomically.
    public static func writePDB(_ model: AtomicModel, to path: String, remarks: [String] = []) throws {
        let text: String
        do { text = try pdbText(model, remarks: remarks) } catch let e as MapbookError {
            throw MapbookError(e.problem, path: path)
        }
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    private static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? String(s.prefix(width)) : String(repeating: " ", count: width - s.count) + s
    }
}

extension Hybrid36 {
    /// `value` in a field of `width` characters: right-aligned decimal while it fits, then
    /// hybrid-36 (upper-case, then lower-case letters); values beyond even that wrap around.
    static func encode(_ value: Int, width: Int) -> String {
        var decimalLimit = 1
        for _ in 0..<width { decimalLimit *= 10 }
        var span = 1
        for _ in 0..<(width - 1) { span *= 36 }
        let negativeLimit = -(decimalLimit / 10 - 1)
        if value < decimalLimit && value >= negativeLimit {
            let s = String(value)
            return String(repeating: " ", count: width - s.count) + s
        }
        var v = value - decimalLimit
        var upper = true
        if v >= 26 * span { v -= 26 * span; upper = false }
        v = ((v % (26 * span)) + 26 * span) % (26 * span) + 10 * span
        let digits = Array(upper ? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "0123456789abcdefghijklmnopqrstuvwxyz")
        var out: [Character] = []
        for _ in 0..<width { out.append(digits[v % 36]); v /= 36 }
        return String(out.reversed())
    }
}

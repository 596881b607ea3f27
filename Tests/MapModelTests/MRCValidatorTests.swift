import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// `MRCFile.validate` explains what is wrong with a file, listing every finding.
@Suite("MRC validation")
struct MRCValidatorTests {
    func lines(_ path: String, severity: String) -> [String] {
        MRCFile.validate(path: path).filter { $0.hasPrefix(severity + ": ") }
    }

    @Test("float16.mrc: header DMIN/DMAX disagree with the data; zero cell thickness noted")
    func float16() {
        guard let path = SharedData.path("io/float16.mrc") else { return }
        let warnings = lines(path, severity: "warning")
        #expect(warnings.contains { $0.contains("DMIN") && $0.contains("-4.33984") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("DMAX") && $0.contains("20.7185") })
        #expect(lines(path, severity: "error").isEmpty)
        #expect(lines(path, severity: "note").contains { $0.contains("2-D image") })
    }

    @Test("EMD-3001: MX ≠ NX, crystallographic ISPG, non-90° cell, permuted axes")
    func emd3001() {
        guard let path = SharedData.path("io/EMD-3001.map") else { return }
        let all = MRCFile.validate(path: path)
        #expect(all.contains { $0.hasPrefix("warning: sampling MX, MY, MZ = 40, 12, 72") })
        #expect(all.contains { $0.hasPrefix("warning: space group ISPG = 4") })
        #expect(all.contains { $0.hasPrefix("warning: cell angles") })
        #expect(all.contains { $0.hasPrefix("note: axis order") && $0.contains("3,1,2") })
        #expect(all.contains { $0.hasPrefix("note: NVERSION is 0") })
        #expect(!all.contains { $0.hasPrefix("error") })
        // Its header statistics are right: no statistics warning.
        #expect(!all.contains { $0.contains("DMIN") || $0.contains("DMEAN") || $0.contains("RMS") }, "\(all)")
    }

    @Test("emd_21457_seg: RMS left at 0; origin and nstart variants; 1pfe: statistics unset")
    func statistics() {
        if let path = SharedData.path("io/emd_21457_seg.mrc") {
            #expect(lines(path, severity: "warning").contains { $0.contains("RMS = 0 (probably unset)") && $0.contains("0.278537") })
        }
        if let path = SharedData.path("io/emd_21457_seg_orig0.mrc") {
            // Written by mrcfile: everything in order.
            #expect(lines(path, severity: "warning").isEmpty, "\(MRCFile.validate(path: path))")
        }
        if let path = SharedData.path("io/1pfe_asu.msk.gz") {
            #expect(lines(path, severity: "warning").contains { $0.contains("all 0 (unset)") })
        }
    }

    @Test("every fault is listed, not just the first")
    func allFaults() {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        var raw = RawMRC(referenceVolume(mode: 2))
        raw.intOverrides = [3: 7, 16: 2, 17: 2, 18: 2] // bad mode and bad axes together
        let path = raw.write(to: dir.file("bad.mrc"))
        let errors = lines(path, severity: "error")
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.contains { $0.contains("unknown data mode 7") })
        #expect(errors.contains { $0.contains("not a permutation") })

        var odd = RawMRC(referenceVolume(mode: 2))
        odd.stamp = [0, 0, 0, 0]
        odd.cell = SIMD3(0, 8, 7.5)
        var bytes = odd.bytes()
        bytes.replaceSubrange(208..<212, with: Array("XYZ ".utf8))
        bytes[1024] = 0xFF; bytes[1025] = 0xFF; bytes[1026] = 0xC0; bytes[1027] = 0x7F // NaN
        let oddPath = dir.file("odd.mrc")
        _ = FileManager.default.createFile(atPath: oddPath, contents: Data(bytes))
        let all = MRCFile.validate(path: oddPath)
        #expect(all.contains { $0.hasPrefix("warning: machine stamp 00 00 00 00") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("warning: MAP field is \"XYZ \"") })
        #expect(all.contains { $0.hasPrefix("error: invalid cell: CELLA x = 0.0") })
        #expect(all.contains { $0.hasPrefix("error: 1 voxel is NaN") })
        // The first error validate lists is the one read throws.
        let first = all.first { $0.hasPrefix("error: ") }!
        expectReadError(oddPath, String(first.dropFirst("error: ".count)))
    }

    @Test("files that cannot even be opened get one error line")
    func unopenable() {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(MRCFile.validate(path: dir.file("none.mrc")) == ["error: file not found"])
        // A text file: one "not an MRC map" error, no noise about its "machine stamp".
        let pdb = dir.file("model.pdb")
        _ = FileManager.default.createFile(atPath: pdb, contents: Data(String(repeating: "ATOM      1  N   MET A   1      11.104  13.207\n", count: 40).utf8))
        let findings = MRCFile.validate(path: pdb)
        #expect(findings.count == 1 && findings[0].hasPrefix("error: not an MRC map"), "\(findings)")
        var raw = RawMRC(referenceVolume(mode: 2))
        raw.trim = 10
        let cut = MRCFile.validate(path: raw.write(to: dir.file("cut.mrc")))
        #expect(cut.contains { $0.hasPrefix("error: truncated") })
    }
}

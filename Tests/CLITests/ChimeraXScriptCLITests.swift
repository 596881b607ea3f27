import Foundation
import Testing
import TestSupport

@Suite("mapbook local-resolution: ChimeraX script")
struct ChimeraXScriptCLITests {
    @Test("the script opens the half map and the colouring map by paths relative to its folder, which exist")
    func pathsExist() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "32", "--voxel", "2", "--resolution", "6", "-o", tmp.file("data/pair"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let run = try CLI.run(["local-resolution", tmp.file("data/pair/half1.mrc"), tmp.file("data/pair/half2.mrc"), "-o", tmp.file("out/lr"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let script = tmp.file("out/lr/localres_chimerax.cxc")
        let opened = ChimeraXPaths.opened(in: try String(contentsOfFile: script, encoding: .utf8))
        #expect(opened == ["../../data/pair/half1.mrc", "localres_colouring.mrc"])
        #expect(try ChimeraXPaths.missing(script: script).isEmpty)
    }
}

import Foundation
import MapModel
import Simulation
import TestSupport

/// A small facility: three 32³ datasets (two folders run with a template, one with its own
/// plan) and a manifest, in a temporary folder.
struct FacilityFixture {
    let folder = TemporaryDirectory()

    /// The template: FSC and post-processing (the folders' datasets).
    static let template = """
    title: "facility {{ dataset }}"
    dataset:
      half_maps: [half1.mrc, half2.mrc]
    cells:
      - kind: fsc
      - kind: postprocess
        mask: auto
        mask_lowpass: 12
    """

    /// A plan of its own: FSC and local resolution, no post-processing.
    static let ownPlan = """
    title: own plan
    dataset:
      name: gamma
      half_maps: [half1.mrc, half2.mrc]
    cells:
      - kind: fsc
      - kind: local_resolution
        step: 0.5
    """

    static let manifest = """
    # test manifest
    template  template.yaml
    dataset   alpha
    dataset   second   beta     # named explicitly
    plan      gamma/plan.yaml
    """

    init() throws {
        for (i, (dir, resolution)) in [("alpha", 7.0), ("second", 9.0), ("gamma", 8.0)].enumerated() {
            var p = SyntheticPairParameters()
            p.size = 32; p.voxelSize = 2; p.resolution = resolution; p.seed = UInt64(10 + i); p.atoms = 600
            let pair = try SyntheticPairGenerator.make(p)
            try FileManager.default.createDirectory(atPath: file(dir), withIntermediateDirectories: true)
            try MRCFile.write(pair.half1, to: file("\(dir)/half1.mrc"))
            try MRCFile.write(pair.half2, to: file("\(dir)/half2.mrc"))
        }
        try write(Self.template, to: "template.yaml")
        try write(Self.ownPlan, to: "gamma/plan.yaml")
        try write(Self.manifest, to: "manifest.txt")
    }

    func file(_ name: String) -> String { folder.file(name) }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file(name)))) as! [String: Any]
    }

    func cleanup() { folder.cleanup() }
}

import ArgumentParser
import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Reports
import Symmetry

/// `mapbook symmetry`: the point-group symmetry of a map, found or checked as
/// phenix.map_symmetry does.
struct SymmetryCommand: ParameterCommand {
    /// The search's parameters and the optional low-pass before it.
    struct Parameters: DeclaredParameters, Equatable {
        /// Low-pass the map to this resolution first (Å); nil leaves it unfiltered.
        @Parameter("resolution", .positive, unit: "Å", "low-pass the map to this resolution first (none: unfiltered)",
                   source: "phenix.map_symmetry resolution", defaultMeaning: "no low-pass")
        var resolution: Double? = nil
        /// The search's settings.
        var detection = SymmetryDetection.Parameters()
        init() {}
    }

    static let parameterSets: [any DeclaredParameters.Type] = [Parameters.self]
    static let configuration = CommandConfiguration(
        commandName: "symmetry",
        abstract: "Find (or check) a map's point-group symmetry about the box centre, as phenix.map_symmetry does.",
        discussion: """
        Samples points of the map above its mean, reads the density at their images under each
        candidate group (C2–C14, D2–D14, T, O, I1–I4 in RELION's orientations; trilinear reads)
        and scores a group by its lowest copy correlation × sqrt(order); the best five are
        rescored with ten times the points, and the centre is refined by whole voxels (up to
        two). A group whose mean copy correlation stays below 0.75 is not reported: the map is
        then C1. With --group only that group is scored. Use the result with
        `mapbook density-modify --symmetry` or a plan's `dataset.symmetry`.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Map file (MRC/CCP4, optionally .gz).") var map: String
    @Option(name: .long, help: "Score this group only (C1, Cn, Dn, T, O, I, I1–I4) instead of searching.") var group: String?
    @Option(name: .long, help: "Sample only where this mask is ≥ 0.5.") var mask: String?
    @Option(name: .long, help: "Also write the result as JSON to this file.") var json: String?
    @Flag(name: .long, help: "Replace an existing --json file.") var force = false
    @OptionGroup var compute: ComputeOptions

    /// What `--json` writes.
    struct Record: Codable {
        struct Candidate: Codable {
            var group: String
            var order: Int
            var score: Double
            var meanCorrelation: Double
            var minimumCorrelation: Double
            var centre: [Double]
        }
        var map: String
        var found: Bool
        var best: Candidate
        var candidates: [Candidate]
    }

    func validate() throws {
        if let group { do { _ = try PointGroup(group) } catch { throw ValidationError("--group: \(error)") } }
    }

    func run() throws {
        let p = try CommandParameters.value(Parameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        try checkSingleFileOutputs([json], inputs: [map] + (mask.map { [$0] } ?? []), force: force)
        try MemoryCheck.require("symmetry search", maps: [map] + (mask.map { [$0] } ?? []), copies: SymmetryDetection.peakMapCopies, progress: progress)
        var volume = try MapLoader.load(map)
        if let resolution = p.resolution {
            let shells = FourierShells(grid: volume.grid)
            var spectrum = FFT.forward(volume)
            shells.apply(SpectralFilter(lowPass: resolution, lowPassEdgeShells: 2), to: &spectrum)
            volume = FFT.backward(consume spectrum)
        }
        var region: [Bool]? = nil
        if let mask {
            region = try MaskInput.checked(try MapLoader.load(mask), path: mask, on: volume.grid, of: "the map").voxels.map { $0 >= 0.5 }
        }
        func candidate(_ s: SymmetryScore) -> Record.Candidate {
            Record.Candidate(group: s.group.symbol, order: s.group.order, score: s.score, meanCorrelation: s.mean,
                             minimumCorrelation: s.minimum, centre: [s.centre.x, s.centre.y, s.centre.z])
        }
        let record: Record
        if let group {
            progress.step("Scoring \(group) about the box centre")
            let s = try SymmetryScore(volume, group: try PointGroup(group), region: region, points: 10 * p.detection.points)
            let threshold = SymmetryDetection.Parameters().minimumMeanCorrelation
            record = Record(map: map, found: s.mean >= threshold, best: candidate(s), candidates: [candidate(s)])
        } else {
            progress.step("Scoring candidate point groups")
            let d = try SymmetryDetection.detect(volume, region: region, parameters: p.detection)
            record = Record(map: map, found: d.isSymmetric, best: candidate(d.best), candidates: d.candidates.map(candidate))
        }
        progress.finish()
        print("group   order   score   mean CC   min CC   centre (Å)")
        for c in record.candidates.prefix(8) {
            print(String(format: "%-7@ %5d   %5.3f   %7.3f   %6.3f   %.1f %.1f %.1f", c.group as NSString, c.order, c.score,
                         c.meanCorrelation, c.minimumCorrelation, c.centre[0], c.centre[1], c.centre[2]))
        }
        if group != nil {
            print(record.found
                  ? String(format: "%@: the map shows it (mean copy correlation %.3f)", record.best.group, record.best.meanCorrelation)
                  : String(format: "%@: the map does not show it (mean copy correlation %.3f, below 0.75)", record.best.group, record.best.meanCorrelation))
        } else {
            print(record.found
                  ? String(format: "symmetry: %@ (%d copies; mean copy correlation %.3f)", record.best.group, record.best.order, record.best.meanCorrelation)
                  : "symmetry: C1 (no candidate's copies correlate 0.75 on average)")
        }
        if let json { try AtomicFile.write(try JSONOutput.encode(record), to: json) }
    }
}

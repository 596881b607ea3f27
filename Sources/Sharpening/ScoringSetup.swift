import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Where and how trials of automatic sharpening are scored: the region of density, the bench
/// that scores it, the map's B, the search with its region weight, and the unsharpened trial.
struct ScoringSetup {
    let region: ScoredRegion
    let cutoff: SharpeningCutoff
    let bench: TrialBench
    let mapB: MapBFactor
    let search: SharpeningSearch
    /// The index of the reference trial (the map with only the resolution cut-off).
    let reference: Int
    /// The region weight's calibration; nil when it was not calibrated.
    let calibration: RegionWeightCalibration?
    /// Where the region weight comes from, in words for the report.
    let weightSource: String

    /// The setup for `map`, the reference trial scored and the region weight calibrated when
    /// the score uses it, none is given and some method searches.
    init(_ map: Volume, molecule: AutoSharpen.MoleculeFacts, parameters p: SharpeningParameters,
         warnings: inout [String], progress: ProgressReporter) {
        let grid = map.grid
        region = AutoSharpen.scoredRegion(p.box, envelope: molecule.envelope, molecule: molecule.volume, insideAll: molecule.insideAll,
                                          enclosedFraction: p.enclosedFraction, voxelVolume: molecule.voxelVolume)
        cutoff = SharpeningCutoff(nominalResolution: p.resolution, grid: grid)
        progress.step("Scoring on \(region.how): \(region.box.size.x)×\(region.box.size.y)×\(region.box.size.z) voxels, contour enclosing \(region.enclosedVoxels)")
        bench = TrialBench(box: region.box.cut(map), cutoff: cutoff, enclosedVoxels: region.enclosedVoxels)
        mapB = MapBFactor.estimate(bench.spectrum, shells: bench.shells, resolution: p.resolution)
        search = SharpeningSearch(bench: bench, target: p.scoreTarget, mapB: mapB.bFactor, resolution: p.resolution,
                                  plan: p.search, dCut: p.dCut ?? p.resolution, kSharpen: p.kSharpen, blur: p.blurBeyondCut,
                                  regionWeight: p.regionWeight ?? SharpeningDefaults.fallbackRegionWeight)
        reference = search.run([nil], stage: .reference)[0]
        (calibration, weightSource) = Self.regionWeight(search, parameters: p, warnings: &warnings, progress: progress)
    }

    /// The region weight's calibration (nil when it is given, the score does not use it, or no
    /// method searches) and where the weight comes from; warns when calibration fell back.
    static func regionWeight(_ search: SharpeningSearch, parameters p: SharpeningParameters, warnings: inout [String],
                             progress: ProgressReporter) -> (RegionWeightCalibration?, String) {
        guard p.scoreTarget == .adjustedSurfaceArea, p.regionWeight == nil,
              p.methods.contains(where: { AutoSharpen.needsSearch($0, p) }) else {
            return (nil, p.regionWeight != nil ? "given"
                : (p.scoreTarget == .kurtosis ? "default (not calibrated: the kurtosis score does not use it)" : "default (no search to calibrate)"))
        }
        progress.step("Calibrating the region weight")
        let calibration = search.calibrateRegionWeight()
        if calibration.outcome != .calibrated && calibration.outcome != .clamped {
            warnings.append(calibration.outcome == .failed
                ? "the region weight could not be calibrated (sharpening did not add both surface and regions); the default weight \(Int(SharpeningDefaults.fallbackRegionWeight)) is used"
                : "the region-weight bounds crossed; the delta ratio was used unclamped")
        }
        return (calibration, "calibrated")
    }
}

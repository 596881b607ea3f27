import Foundation
import MapModel
@testable import Figures

/// Deterministic data for the figure tests: smooth analytic curves and a small phantom, so the
/// reference images depend only on the drawing code.
enum FigureFixtures {
    static let size = FigureSize(480, 300)

    static let frequencies = (0...48).map { Double($0) / 96 }

    static func fscFigure() -> FSCFigure {
        func curve(_ d0: Double, _ k: Double) -> [Double] {
            frequencies.map { f in 1 / (1 + exp((f - 1 / d0) * k)) }
        }
        let unmasked = curve(6, 40), masked = curve(4.6, 45)
        let random = frequencies.map { f in f < 0.12 ? masked[Int(f * 96)] : 0.9 * exp(-(f - 0.12) * 60) }
        let corrected = zip(masked, random).map { m, r in r < 0.999 ? (m - r) / (1 - r) : m }
        let halfBit = frequencies.map { f -> Double in
            let n = max(1, 4 * .pi * pow(f * 96, 2)) / 2
            let r = 1 / n.squareRoot()
            return (0.2071 + 1.9102 * r) / (1.2071 + 0.9102 * r)
        }
        return FSCFigure(
            title: "FSC of the half maps",
            curves: [
                .init(name: "unmasked", role: .unmasked, frequency: frequencies, fsc: unmasked),
                .init(name: "masked", role: .masked, frequency: frequencies, fsc: masked),
                .init(name: "phase-randomised masked", role: .phaseRandomizedMasked, frequency: frequencies, fsc: random),
                .init(name: "corrected", role: .corrected, frequency: frequencies, fsc: corrected),
            ],
            thresholds: [.init(constant: 0.143, name: "0.143"), .init(constant: 0.5, name: "0.5"),
                         .init(name: "half-bit", frequency: frequencies, values: halfBit)],
            crossings: [.init(frequency: 1 / 4.2, value: 0.143, label: "4.20 Å (0.143, corrected)", role: .corrected),
                        .init(frequency: 1 / 5.1, value: 0.5, label: "5.10 Å (0.5)", role: .corrected)],
            maxFrequency: 0.5, size: size)
    }

    static func guinierFigure() -> GuinierFigure {
        let s2 = frequencies.dropFirst().map { $0 * $0 }
        let original = s2.map { Optional(5 - 40 * $0 + 0.3 * sin($0 * 200)) }
        let weighted = s2.map { Optional(5 - 40 * $0 - 30 * $0 * $0 * 10) }
        let sharpened = s2.map { Optional(5 - 2 * $0 + 0.3 * sin($0 * 200)) }
        return GuinierFigure(
            title: "Guinier plot",
            curves: [.init(name: "original", role: .original, frequencySquared: s2, logAmplitude: original),
                     .init(name: "FSC-weighted", role: .weighted, frequencySquared: s2, logAmplitude: weighted),
                     .init(name: "sharpened", role: .sharpened, frequencySquared: s2, logAmplitude: sharpened)],
            fit: .init(slope: -40, intercept: 5, lowResolution: 10, highResolution: 4.2, correlation: 0.987, points: 21),
            appliedBFactor: -160, size: size)
    }

    static func sharpeningFigure() -> SharpeningScoreFigure {
        let bs = stride(from: -200.0, through: 0, by: 20).map { $0 }
        return SharpeningScoreFigure(title: "Sharpening score", scoreLabel: "score", parameters: bs,
                                     scores: bs.map { 1 - pow(($0 + 120) / 150, 2) }, chosen: -120,
                                     references: [.init(label: "Guinier B", value: -150)], size: size)
    }

    static func localResolutionVolume() -> (resolution: Volume, density: Volume) {
        let grid = VoxelGrid(cube: 24, voxel: 2)
        let density = Volume(grid: grid) { x, y, z in
            let d = Float((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12))
            return exp(-d / 40) + 0.3 * exp(-Float((x - 7) * (x - 7) + (y - 15) * (y - 15) + (z - 10) * (z - 10)) / 6)
        }
        let resolution = Volume(grid: grid) { x, y, z in
            let r = Float((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12)).squareRoot()
            return r < 9 ? 3 + r * 0.35 + Float(x) * 0.02 : .nan
        }
        return (resolution, density)
    }

    static func histogramFigure() -> LocalResolutionHistogramFigure {
        let values = localResolutionVolume().resolution.voxels.array.filter(\.isFinite)
        return LocalResolutionHistogramFigure(title: "Local resolution in the mask", values: values, binWidth: 0.2,
                                              markers: [.init(label: "FSC 0.143", resolution: 4.2)], size: size)
    }

    static func localResolutionSlices(_ map: ColorMap = .viridis) -> LocalResolutionSlicesFigure {
        let v = localResolutionVolume()
        return LocalResolutionSlicesFigure(title: "Local resolution (\(map.rawValue))", localResolution: v.resolution,
                                           density: v.density, colorMap: map, range: 3...6.5, width: 480)
    }

    static func montageFigure() -> SliceMontageFigure {
        let v = localResolutionVolume()
        var noisy = v.density
        for i in 0..<noisy.voxels.count { noisy.voxels[i] += 0.05 * Float(sin(Double(i) * 12.9898) * 0.5) }
        return SliceMontageFigure(title: "Central slices", maps: [("half map 1", noisy), ("sharpened map with a long name", v.density)], width: 480)
    }

    static func convergenceFigure() -> LocalSharpeningConvergenceFigure {
        let round1: [Double] = [0.9862, 0.9828, 0.9798, 0.9772, 0.9750, 0.9732, 0.9718, 0.9708, 0.9702]
        let round2: [Double] = [0.9695, 0.9650, 0.9615, 0.9590, 0.9575]
        return LocalSharpeningConvergenceFigure(title: "LocalDeblur convergence", costs: [round1, round2], lambdas: [6.5, 2.9],
                                                size: FigureSize(480, 360))
    }

    /// Every figure kind, by reference-image name.
    /// Two chains of a smooth Q-score profile with a dip, and the expected Q as a reference.
    static func residueProfile() -> ResidueProfileFigure {
        let a = ResidueProfileFigure.Chain(id: "A", residues: Array(1...140))
        let b = ResidueProfileFigure.Chain(id: "B", residues: Array(3...145))
        let q = (a.residues + b.residues).enumerated().map { i, n in 0.55 + 0.1 * sin(Double(n) / 9) - (i > 60 && i < 70 ? 0.3 : 0) }
        return ResidueProfileFigure(title: "Q-score per residue", valueLabel: "Q-score", chains: [a, b],
                                    series: [.init(label: "Q-score", values: q)], references: [.init(label: "expected at 3.2 Å", value: 0.53)],
                                    valueRange: 0...1, size: size)
    }

    /// The phantom's montage with its mask's outline, atoms near the planes, cropped to the
    /// mask, contrast per row.
    static func overlayMontage() -> SliceMontageFigure {
        let v = localResolutionVolume()
        let mask = Volume(grid: v.density.grid) { x, y, z in
            Float(max(0, min(1, 9.5 - Double((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12)).squareRoot())))
        }
        let atoms = (0..<40).map { i in SIMD3<Double>(24 + 8 * cos(Double(i) * 0.7), 24 + 8 * sin(Double(i) * 0.7), 24 + Double(i % 3) - 1) }
        let overlay = MontageOverlay(mask: mask, atoms: atoms, atomDistance: 1.5, region: VoxelRegion.bounding(mask, above: 0.01, margin: 2))
        var scaled = v.density
        for i in 0..<scaled.voxels.count { scaled.voxels[i] *= 40 }
        return SliceMontageFigure(title: "Slices with mask and model", rows: [SliceMontageFigure.row("map", of: v.density, overlay: overlay, standardize: false),
                                                                              SliceMontageFigure.row("map × 40", of: scaled, overlay: overlay, standardize: false)],
                                  standardized: false, contrast: .row, width: 480)
    }

    static func mapCurves(_ f: (Double, Int) -> Double?, x: [Double]) -> [MapCurve] {
        ["sharpened", "modified"].enumerated().map { i, name in MapCurve(name: name, x: x, y: x.map { f($0, i) }) }
    }

    static func densityHistogram() -> DensityHistogramFigure {
        let x = stride(from: -4.0, through: 12, by: 0.2).map { $0 }
        return DensityHistogramFigure(title: "Density histogram", curves: mapCurves({ x, i in
            let n = 1e5 * exp(-x * x / 2) + 300 * exp(-x / (2 + Double(i)))
            return n >= 1 ? log10(n) : nil
        }, x: x), densityLabel: "density (σ)", size: size)
    }

    static func volumeContour() -> VolumeContourFigure {
        let x = stride(from: 0.0, through: 10, by: 0.1).map { $0 }
        return VolumeContourFigure(title: "Volume against contour level", curves: mapCurves({ x, i in 200 * exp(-x / (1.5 + Double(i))) }, x: x),
                                   marks: [.init(level: 3.2, volume: 200 * exp(-3.2 / 1.5)), .init(level: 4.4, volume: 200 * exp(-4.4 / 2.5))],
                                   targetVolume: 34, volumeUnit: "nm³", levelLabel: "contour level (σ)", size: size)
    }

    static func powerSpectrum() -> PowerSpectrumFigure {
        let x = (1...48).map { Double($0) / 96 }
        return PowerSpectrumFigure(title: "Power spectrum", curves: mapCurves({ s, i in
            -2 - 2 * Double.pi * Double.pi * 4 * s * s * (i == 0 ? 1 : 0.5) / log(10)
        }, x: x), size: size)
    }

    static func all() -> [(String, any Figure)] {
        [("fsc", fscFigure()), ("guinier", guinierFigure()), ("sharpening_score", sharpeningFigure()),
         ("local_resolution_histogram", histogramFigure()), ("local_resolution_slices", localResolutionSlices()),
         ("slice_montage", montageFigure()), ("local_sharpening_convergence", convergenceFigure()),
         ("residue_profile", residueProfile()), ("surface_views", surfaceViews()), ("directional_map", directionalMap()),
         ("slice_montage_overlays", overlayMontage()),
         ("density_histogram", densityHistogram()), ("volume_contour", volumeContour()), ("power_spectrum", powerSpectrum()),
         ("scaling", scalingFigure())]
    }

    /// Two works timed at four sizes, t = c·N^k: one with a peer and a floor, one alone.
    static func scalingFigure() -> ScalingFigure {
        let sizes: [Double] = [64, 128, 256, 384]
        func times(_ c: Double, _ k: Double) -> [Double] { sizes.map { c * pow($0, k) } }
        return ScalingFigure(title: "Wall time against box size", works: ["postprocess", "local resolution"], series: [
            .init(work: "postprocess", role: .mapbook, program: "mapbook", sizes: sizes, seconds: times(2e-5, 2), exponent: 2),
            .init(work: "postprocess", role: .peer, program: "peer_tool", sizes: sizes, seconds: times(4e-6, 3), exponent: 3),
            .init(work: "postprocess", role: .floor, program: "FFT floor", sizes: sizes, seconds: times(5e-6, 2), exponent: nil),
            .init(work: "local resolution", role: .mapbook, program: "mapbook", sizes: sizes, seconds: times(1e-6, 3), exponent: 3),
        ])
    }
}

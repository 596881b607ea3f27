import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel
import ModelMaps

/// The shell scales that the half_map and model methods derive from the whole map, rather
/// than from the scoring box, with the FSC they read and the half maps' expectation of the
/// correlation with the true map.
struct WholeMapScales {
    /// The half maps' FSC inside the molecule mask (the half_map method), else inside the
    /// envelope, or else the map-to-model FSC; nil without any.
    let fsc: FSCCurve?
    /// The half maps' expected correlation with the true map (inside the envelope), the guard
    /// of searched sharpenings; nil without half maps or without signal past 10 Å.
    let expectation: ExpectedTruthCorrelation?
    /// The half maps multiplied by the envelope's soft mask, kept for local sharpening (each
    /// cube's guard reads them); nil without half maps or local sharpening.
    let maskedHalves: (Volume, Volume)?
    /// The envelope's soft mask the half maps were multiplied by; nil without half maps or
    /// without local sharpening (local half-map sharpening measures its windows inside it).
    let envelopeMask: Volume?
    /// The settings of the half_map and model methods, for those asked for.
    let derived: [SharpeningMethod: SharpeningSettings]
    /// The model's map, when the model method is asked for (local sharpening reuses it).
    let modelMap: Volume?

    /// The scales for `spectrum` (the map's) from the inputs' half maps and model, for the
    /// methods `parameters` ask for; `molecularVolume` (Å³) sizes the half_map method's mask.
    init(_ inputs: SharpeningInputs, spectrum: HalfSpectrum, envelope: MoleculeEnvelope, molecularVolume: Double,
         shells: FourierShells, parameters p: SharpeningParameters, progress: ProgressReporter) throws {
        let grid = inputs.map.grid
        var fsc: FSCCurve? = nil
        var derived: [SharpeningMethod: SharpeningSettings] = [:]
        var expectation: ExpectedTruthCorrelation? = nil
        var maskedHalves: (Volume, Volume)? = nil
        var envelopeMask: Volume? = nil
        if let (h1, h2) = inputs.halfMaps {
            progress.step("Half-map FSC inside the molecular envelope")
            do {
                // A scope of its own: the envelope's spectra are gone before the molecule mask's.
                let mask = SoftMask.fromBinary(envelope.inside, grid: grid, extendVoxels: 0, softEdgeVoxels: p.resolution / grid.voxelSize.max())
                let m1 = h1.multiplied(by: mask), m2 = h2.multiplied(by: mask)
                if p.local != nil { maskedHalves = (m1, m2); envelopeMask = mask }
                let f1 = FFT.forward(m1), f2 = FFT.forward(m2)
                expectation = ExpectedTruthCorrelation(half1: f1, half2: f2, shells: shells,
                                                       targetBFactor: HalfMapSharpeningParameters().targetBFactor)
            }
            if p.methods.contains(.halfMap) {
                // Measured in the molecule mask, not the envelope: the envelope takes in so much
                // solvent that its statistics are the noise's, and the weights sharpened as
                // little as with no mask at all (the harness's 4 Å split design: 0.754 in CC
                // with the truth, against 0.808 in the molecule mask; radial 0.782 against
                // 0.845). The edge is twice the resolution, as density modification's.
                progress.step("Half-map FSC inside the molecule mask")
                let molecule = envelope.moleculeMask(volume: molecularVolume, softEdge: 2 * p.resolution)
                let g1 = FFT.forward(h1.multiplied(by: molecule)), g2 = FFT.forward(h2.multiplied(by: molecule))
                let result = ShellAmplitudeScale.halfMap(map: spectrum, half1: g1, half2: g2, shells: shells)
                derived[.halfMap] = result.settings
                fsc = result.fsc
            }
        }
        self.expectation = expectation
        self.maskedHalves = maskedHalves
        self.envelopeMask = envelopeMask
        var modelMap: Volume? = nil
        if p.methods.contains(.model), let model = inputs.model {
            progress.step("Model map of \(model.atoms.count) atoms")
            let density = try ModelMap.density(of: model, on: grid)
            let result = ShellAmplitudeScale.model(map: spectrum, model: FFT.forward(density), shells: shells)
            derived[.model] = result.settings
            if fsc == nil { fsc = result.fsc }
            modelMap = density
        }
        self.fsc = fsc
        self.derived = derived
        self.modelMap = modelMap
    }
}

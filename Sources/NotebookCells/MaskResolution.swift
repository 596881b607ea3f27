import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Notebook
import Postprocessing

/// Turns a cell's mask setting into the engine's `MaskChoice`, checking a mask map against
/// the half maps' grid.
enum MaskResolution {
    static func choice(_ setting: MaskSetting, grid: VoxelGrid, context: CellContext, automatic: AutoMaskParameters) throws -> (MaskChoice, String) {
        switch setting {
        case .none: return (.none, "none")
        case .automatic:
            return (.automatic(automatic), String(format: "automatic (%.0f Å low-pass, extended %g voxels, %g-voxel soft edge)", automatic.lowPass, automatic.extendVoxels, automatic.softEdgeVoxels))
        case .map(let r):
            let m = try MaskInput.checked(try context.map(r), path: context.path(r) ?? r.description, on: grid)
            return (.supplied(m), context.label(r))
        }
    }

    /// How errors name the mask of `setting`: its file, or "the automatic mask".
    static func name(_ setting: MaskSetting?, context: CellContext) -> String {
        guard case .map(let r)? = setting else { return "the automatic mask" }
        return context.path(r) ?? r.description
    }

    /// The description with the mask's size added.
    static func describe(_ description: String, summary: MaskSummary?) -> String {
        guard let s = summary else { return description }
        var text = description + String(format: "; %.1f %% of the box above 0.5", 100 * s.fractionAboveHalf)
        if let t = s.threshold { text += String(format: ", threshold %.4g", t) }
        return text
    }
}

/// A cell that can make its mask from the half maps (`mask: auto`), with the four keys that
/// shape that mask: `mask_lowpass`, `mask_threshold`, `mask_extend` and `mask_edge`. The keys'
/// documentation, their checks and the engine's parameters are written once here.
protocol AutomaticMaskCell {
    /// Low-pass before thresholding, Å.
    var maskLowpass: Double { get }
    /// Threshold on the low-passed average (nil chooses one).
    var maskThreshold: Double? { get }
    /// Voxels to grow the binary mask.
    var maskExtend: Double { get }
    /// Width of the soft edge, voxels.
    var maskEdge: Double { get }
}

extension AutomaticMaskCell {
    /// The four keys' documentation, in plan order.
    static var automaticMaskOptions: [CellOption] {
        [
            CellOption("mask_lowpass", default: "15", "automatic mask: low-pass before thresholding, Å"),
            CellOption("mask_threshold", default: "automatic", "automatic mask: threshold on the low-passed average map", shownInStarterPlan: false),
            CellOption("mask_extend", default: "3", "automatic mask: voxels to grow the binary mask (negative shrinks)"),
            CellOption("mask_edge", default: "6", "automatic mask: soft-edge width, voxels"),
        ]
    }

    /// The engine's parameters for the automatic mask.
    var automaticMask: AutoMaskParameters {
        AutoMaskParameters(lowPass: maskLowpass, threshold: maskThreshold, extendVoxels: maskExtend, softEdgeVoxels: maskEdge)
    }

    /// Range checks of the four keys.
    func validateAutomaticMask() throws {
        if !(maskLowpass > 0) { throw PlanProblem("mask_lowpass must be a positive resolution in Å, got \(maskLowpass)", at: nil) }
        if !(maskEdge >= 0) { throw PlanProblem("mask_edge must not be negative, got \(maskEdge)", at: nil) }
    }
}

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

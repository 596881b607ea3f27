import Foundation
import MapbookCore
import MapModel
import ModelValidation
import Symmetry

/// What `MapBoxing.run` boxes: a map, and optionally its half maps, a mask and a model, all in
/// the map's frame, with the names messages use.
public struct BoxInputs {
    /// The map.
    public var map: Volume
    /// Its half maps (on the map's grid), boxed identically.
    public var halfMaps: (Volume, Volume)?
    /// A mask on the map's grid: chooses the region unless bounds or a threshold are given,
    /// and is boxed identically.
    public var mask: Volume?
    /// The model built into the map: chooses the region (its selection) unless something else
    /// does, and is shifted with the box.
    public var model: AtomicModel?
    /// File names for messages: map, half maps, mask, model.
    public var mapName: String, halfMapNames: (String, String), maskName: String, modelName: String

    /// Inputs named for messages.
    public init(map: Volume, halfMaps: (Volume, Volume)? = nil, mask: Volume? = nil, model: AtomicModel? = nil,
                mapName: String = "the map", halfMapNames: (String, String) = ("half map 1", "half map 2"),
                maskName: String = "the mask", modelName: String = "the model") {
        self.map = map; self.halfMaps = halfMaps; self.mask = mask; self.model = model
        self.mapName = mapName; self.halfMapNames = halfMapNames; self.maskName = maskName; self.modelName = modelName
    }
}

/// The boxed maps, the shifted model and the record.
public struct BoxResult {
    /// The boxed map.
    public var map: Volume
    /// The boxed half maps.
    public var halfMaps: (Volume, Volume)?
    /// The boxed mask.
    public var mask: Volume?
    /// The model in the boxed map's frame (shifted when the box moved to the origin).
    public var model: AtomicModel?
    /// Every shift and both frames.
    public var record: BoxRecord
    /// The labels the boxed maps carry (the unique part is marked so sharpening refuses it).
    public var labels: [String]
}

/// phenix.map_box: a box cut out of a larger map around a model, a selection of it, a mask, a
/// density threshold or given bounds, optionally reduced to the unique part of a symmetric map.
public enum MapBoxing {
    /// The label mark of a map reduced to its asymmetric unit ("extract_unique", as cctbx writes
    /// it): automatic sharpening refuses such maps (`SharpeningGuards`).
    public static let uniqueLabel = "extract_unique"

    /// Boxes `inputs` as `parameters` say. Checks first, in one line each: half maps and the
    /// mask on the map's grid, the model's atoms (those selected) mostly inside the map, and
    /// the map's voxel size against the model's scale (`ModelScaleCheck`; `checkScale` false
    /// skips it, for models that are not molecules, such as pseudo-atoms on density peaks).
    public static func run(_ inputs: BoxInputs, parameters p: BoxParameters, checkScale: Bool = true,
                           progress: ProgressReporter = .silent) throws -> BoxResult {
        try p.validate()
        let grid = inputs.map.grid
        var halves = inputs.halfMaps
        if let (h1, h2) = halves {
            if let why = grid.mismatch(with: h1.grid) { throw MapbookError("does not match \(inputs.mapName): \(why)", path: inputs.halfMapNames.0) }
            let (a, b) = try HalfMapPair.checked(h1, h2, paths: inputs.halfMapNames)
            halves = (a, b)
        }
        if let mask = inputs.mask { _ = try MaskInput.checked(mask, path: inputs.maskName, on: grid, of: "the map") }
        if p.selection != nil && inputs.model == nil {
            throw ParameterProblem(key: "selection", value: p.selection, "needs a model to select from")
        }
        var selected: AtomicModel? = nil
        if let model = inputs.model {
            let atoms = try p.selection.map { try AtomSelection($0).atoms(of: model) } ?? model
            progress.step("Checking the model against \(inputs.mapName)")
            try ModelPlacementCheck.requireMostlyInside(atoms, grid: grid, mapPath: inputs.mapName)
            if checkScale { try ModelScaleCheck.require(map: inputs.map, model: atoms, mapPath: inputs.mapName) }
            selected = atoms
        }

        // The unique part first, on the whole map, so its cones are those of the full map.
        var map = inputs.map
        var mask = inputs.mask
        var unique: BoxRecord.Unique? = nil
        if let groupName = p.unique {
            progress.step("Finding the unique part (\(groupName))")
            let (region, found) = try uniqueRegion(groupName, map: map, model: selected ?? inputs.model)
            map = region.extract(map)
            if let (h1, h2) = halves { halves = (region.extract(h1), region.extract(h2)) }
            if let m = mask { mask = region.extract(m) }
            let kept = region.voxelCount(in: grid)
            unique = BoxRecord.Unique(group: region.group.symbol, found: found, centre: [region.centre.x, region.centre.y, region.centre.z],
                                      reference: [region.reference.x, region.reference.y, region.reference.z],
                                      keptFraction: Double(kept) / Double(grid.count))
        }

        // The region.
        progress.step("Choosing the box")
        let (chosen, from, flags) = try region(p, map: map, mask: mask, atoms: selected, uniqueOnly: unique != nil)
        var box = chosen
        if p.fftFriendly { box = BoxRegion.fftFriendly(box, in: grid) }
        let mapBox = try MapBox(original: grid, region: box, frame: p.boxFrame)
        let clamped = clampedToMap(p, atoms: selected, grid: grid, box: box)

        // Cut everything the same way.
        var result = BoxResult(map: try mapBox.cut(map), halfMaps: nil, mask: try mask.map { try mapBox.cut($0) },
                               model: inputs.model?.translated(by: mapBox.modelShift), record: record(mapBox, p, from: from, unique: unique, clamped: clamped),
                               labels: [])
        if let (h1, h2) = halves { result.halfMaps = (try mapBox.cut(h1), try mapBox.cut(h2)) }
        if p.softMask {
            let atoms = selected?.translated(by: mapBox.modelShift)
            let boxedFlags = flags.map { SubBox(start: box.start, size: box.size).extract($0, fullSize: grid.size) }
            let soft = BoxSoftMask.make(grid: mapBox.grid, atoms: atoms, flags: atoms == nil ? boxedFlags : nil, width: p.softMaskWidth)
            result.map = BoxSoftMask.apply(soft, to: result.map)
            if let (h1, h2) = result.halfMaps { result.halfMaps = (BoxSoftMask.apply(soft, to: h1), BoxSoftMask.apply(soft, to: h2)) }
        }
        var labels = ["box \(from), frame \(p.frame)"]
        if let unique { labels.append("\(uniqueLabel) \(unique.group): only the asymmetric unit is kept") }
        result.labels = labels
        return result
    }

    /// The region and how it was chosen, with the flagged voxels (mask or threshold) on the
    /// full grid when they chose it.
    static func region(_ p: BoxParameters, map: Volume, mask: Volume?, atoms: AtomicModel?,
                       uniqueOnly: Bool) throws -> (SubBox, String, [Bool]?) {
        let grid = map.grid
        if let b = p.bounds {
            return (try BoxRegion.bounds(lower: SIMD3(b[0], b[1], b[2]), upper: SIMD3(b[3], b[4], b[5]), grid: grid), "bounds", nil)
        }
        if p.selection != nil, let atoms {
            guard let box = BoxRegion.around(positions: atoms.atoms.map(\.position), grid: grid, padding: p.padding) else {
                throw MapbookError("the selected atoms lie outside the map")
            }
            return (box, "model selection \(p.selection!)", nil)
        }
        if let t = p.threshold {
            let flags = map.voxels.map { $0 > Float(t) }
            guard let box = BoxRegion.around(voxels: { flags[$0] }, grid: grid, padding: p.padding) else {
                let s = map.statistics
                throw ParameterProblem(key: "threshold", value: t.parameterText,
                                       String(format: "selects no voxel: the map runs from %.4g to %.4g", Double(s.min), Double(s.max)))
            }
            return (box, "density above \(t.parameterText)", flags)
        }
        if let mask {
            let flags = mask.voxels.map { $0 >= 0.5 }
            guard let box = BoxRegion.around(voxels: { flags[$0] }, grid: grid, padding: p.padding) else {
                throw MapbookError("the mask has no voxel at or above 0.5: it selects nothing to box")
            }
            return (box, "mask", flags)
        }
        if let atoms {
            guard let box = BoxRegion.around(positions: atoms.atoms.map(\.position), grid: grid, padding: p.padding) else {
                throw MapbookError("the model's atoms lie outside the map")
            }
            return (box, "model", nil)
        }
        if uniqueOnly {
            // The unique part alone: box its non-zero voxels.
            if let box = BoxRegion.around(voxels: { map.voxels[$0] != 0 }, grid: grid, padding: p.padding) {
                return (box, "unique part", map.voxels.map { $0 != 0 })
            }
        }
        return (SubBox.whole(grid), "whole map", nil)
    }

    /// The unique region of `name` ("auto": found as `mapbook symmetry` finds it) and whether it was found.
    static func uniqueRegion(_ name: String, map: Volume, model: AtomicModel?) throws -> (UniqueRegion, Bool) {
        let group: PointGroup, centre: SIMD3<Double>, found: Bool
        if name.lowercased() == "auto" {
            let d = try SymmetryDetection.detect(map)
            guard d.isSymmetric else {
                throw ParameterProblem(key: "unique", value: name, String(format: "found no symmetry (the best candidate, %@, has mean copy correlation %.2f); name the group",
                                                                       d.candidates.first?.group.symbol ?? "C2", d.candidates.first?.mean ?? 0))
            }
            (group, centre, found) = (d.best.group, d.best.centre, true)
        } else {
            do { group = try PointGroup(name) } catch {
                throw ParameterProblem(key: "unique", value: name, "is not a point group (C1, Cn, Dn, T, O, I, I1–I4) or auto")
            }
            guard group.order > 1 else { throw ParameterProblem(key: "unique", value: name, "has one copy: the whole map is unique") }
            (centre, found) = (SymmetryCentre.box(map.grid), false)
        }
        let reference = try UniqueRegion.reference(in: map, group: group, centre: centre, model: model)
        return (try UniqueRegion(group: group, centre: centre, reference: reference), found)
    }

    /// Whether the padded model region reached past the map (and so was cut to it).
    static func clampedToMap(_ p: BoxParameters, atoms: AtomicModel?, grid: VoxelGrid, box: SubBox) -> Bool {
        guard p.bounds == nil, let atoms, !atoms.atoms.isEmpty else { return false }
        let b = atoms.bounds
        let lo = grid.firstVoxelPosition, hi = lo + (SIMD3(Double(grid.size.x), Double(grid.size.y), Double(grid.size.z)) - 1) * grid.voxelSize
        return any(b.min - p.padding .< lo) || any(b.max + p.padding .> hi)
    }

    static func record(_ box: MapBox, _ p: BoxParameters, from: String, unique: BoxRecord.Unique?, clamped: Bool) -> BoxRecord {
        let shift = box.modelShift
        return BoxRecord(box: box, originalFrame: .init(box.original), boxedFrame: .init(box.grid),
                         voxelShift: [box.region.start.x, box.region.start.y, box.region.start.z], modelShift: [shift.x, shift.y, shift.z],
                         regionFrom: from, padding: p.padding, fftFriendly: p.fftFriendly, softMaskWidth: p.softMask ? p.softMaskWidth : nil,
                         unique: unique, clampedToMap: clamped)
    }
}

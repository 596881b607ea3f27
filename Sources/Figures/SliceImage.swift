import Foundation
import MapModel

/// A 2-D section of a map, ready to draw: values row by row with the top row first, and the
/// physical extent so that tiles keep the map's proportions.
public struct SliceImage: Codable, Sendable, Equatable {
    /// What the slice is ("X = 48").
    public var label: String
    /// Which way the image axes point ("y →, z ↑").
    public var orientation: String
    /// Pixels per row.
    public var width: Int
    /// Rows.
    public var height: Int
    /// Values, `width` × `height`, top row first; NaN marks "no value" (drawn transparent).
    public var values: [Float]
    /// Width in Å.
    public var physicalWidth: Double
    /// Height in Å.
    public var physicalHeight: Double

    /// A slice.
    public init(label: String, orientation: String, width: Int, height: Int, values: [Float], physicalWidth: Double, physicalHeight: Double) {
        precondition(values.count == width * height, "slice value count does not match its size")
        self.label = label; self.orientation = orientation; self.width = width; self.height = height
        self.values = values; self.physicalWidth = physicalWidth; self.physicalHeight = physicalHeight
    }

    /// The values mapped through `transform`.
    public func mapped(_ transform: (Float) -> Float) -> SliceImage {
        var s = self
        s.values = values.map(transform)
        return s
    }

    /// ARGB pixels: each value placed on `colorMap` between `lo` and `hi`; NaN is transparent.
    public func pixels(colorMap: ColorMap, lo: Double, hi: Double) -> [UInt32] {
        let span = hi > lo ? hi - lo : 1
        // 256 precomputed colours: the colour-map lookup is the costly part per pixel.
        let table = (0..<256).map { Canvas.pixel(colorMap.color(at: Double($0) / 255)) }
        return values.map { v in
            guard v.isFinite else { return 0 }
            let t = min(1, max(0, (Double(v) - lo) / span))
            return table[Int((t * 255).rounded())]
        }
    }
}

/// The three central orthogonal sections of a map, in one fixed orientation for every figure:
/// X (the y–z plane at x = nx/2) with y to the right and z up; Y (x–z at y = ny/2) with x
/// right, z up; Z (x–y at z = nz/2) with x right, y up.
public enum CentralSlices {
    /// The X, Y and Z central slices of `volume`.
    public static func of(_ volume: Volume) -> [SliceImage] {
        VolumeSections.through(volume, at: VoxelRegion(wholeOf: volume.grid).centre)
    }
}

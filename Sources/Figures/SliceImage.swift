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
        let n = volume.grid.size, v = volume.grid.voxelSize
        let cx = n.x / 2, cy = n.y / 2, cz = n.z / 2
        return volume.voxels.withUnsafeBufferPointer { p in
            func at(_ x: Int, _ y: Int, _ z: Int) -> Float { p[x + n.x * (y + n.y * z)] }
            var xs = [Float](), ys = [Float](), zs = [Float]()
            xs.reserveCapacity(n.y * n.z); ys.reserveCapacity(n.x * n.z); zs.reserveCapacity(n.x * n.y)
            for row in 0..<n.z { let z = n.z - 1 - row; for y in 0..<n.y { xs.append(at(cx, y, z)) } }
            for row in 0..<n.z { let z = n.z - 1 - row; for x in 0..<n.x { ys.append(at(x, cy, z)) } }
            for row in 0..<n.y { let y = n.y - 1 - row; for x in 0..<n.x { zs.append(at(x, y, cz)) } }
            return [
                SliceImage(label: "X = \(cx)", orientation: "y →, z ↑", width: n.y, height: n.z, values: xs,
                           physicalWidth: Double(n.y) * v.y, physicalHeight: Double(n.z) * v.z),
                SliceImage(label: "Y = \(cy)", orientation: "x →, z ↑", width: n.x, height: n.z, values: ys,
                           physicalWidth: Double(n.x) * v.x, physicalHeight: Double(n.z) * v.z),
                SliceImage(label: "Z = \(cz)", orientation: "x →, y ↑", width: n.x, height: n.y, values: zs,
                           physicalWidth: Double(n.x) * v.x, physicalHeight: Double(n.y) * v.y),
            ]
        }
    }
}

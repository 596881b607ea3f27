import Foundation
import MapbookCore
import MapModel

extension SurfaceViewFigure {
    /// One rendered view of a surface: a brightness and a colour value per pixel, kept small
    /// (one byte each) so that a cell can cache it and the figure can colour it at draw time.
    public struct View: Codable, Sendable, Equatable {
        /// Where the surface is seen from.
        public var direction: SurfaceViewDirection
        /// Pixels per row.
        public var width: Int
        /// Rows.
        public var height: Int
        /// Width in Å.
        public var physicalWidth: Double
        /// Height in Å.
        public var physicalHeight: Double
        /// Brightness per pixel, top row first: 0 where no surface is seen, else 1 ... 255
        /// (Lambert shading with ambient light).
        public var shade: Data
        /// Colour value per pixel, top row first, quantised over the surface's `valueRange`:
        /// 0 for none, 1 ... 255 for the lowest ... highest value. Empty for a plain surface.
        public var value: Data
    }

    /// The surface of one map at one level, rendered along x, y and z.
    public struct Surface: Codable, Sendable, Equatable {
        /// The contour level, in the map's units.
        public var level: Float
        /// Volume (Å³) of the voxels at or above the level.
        public var enclosedVolume: Double
        /// Triangles in the mesh that was rendered.
        public var triangleCount: Int
        /// The extraction grid's step: every `samplingStep`-th voxel (1 = the full grid).
        public var samplingStep: Int
        /// The views along x, y and z.
        public var views: [View]
        /// Lowest and highest colour value on the surface (Å), the range the views' value
        /// bytes span; nil for a plain surface.
        public var valueRange: ClosedRange<Double>?
        /// 2nd and 98th percentile of the colour values at the surface's vertices; nil for a
        /// plain surface.
        public var valuePercentiles: ClosedRange<Double>?
        /// Nyquist of the colouring map (2 × its largest voxel size, Å); nil for a plain surface.
        public var nyquist: Double?
    }

    /// The pixels across the longest box edge when none are asked for: a tile of 128 points
    /// at the default two pixels per point.
    public static let defaultPixels = 256

    /// The surface of `volume` at `level`, rendered along x, y and z at `pixels` across the
    /// box's longest edge (all three views at one scale), coloured by `resolution` (Å; values
    /// that are not positive or finite mark "no value", e.g. outside the mask) sampled
    /// trilinearly at each vertex, or plain without it. The mesh is extracted on a grid of at
    /// most `maxEdge` samples per edge (`SurfaceNets`). Throws when the level is not finite.
    public static func surface(of volume: Volume, level: Float, resolution: Volume? = nil, pixels: Int = defaultPixels,
                               maxEdge: Int = SurfaceNets.defaultMaxEdge) throws -> Surface {
        guard level.isFinite else { throw MapbookError("the contour level of a surface view is not a finite number") }
        let mesh = SurfaceNets.mesh(of: volume, level: level, maxEdge: maxEdge)
        let values = resolution.map { r in mesh.positions.map { ResolutionSampling.value(in: r, at: $0) } }
        let finite = (values ?? []).filter(\.isFinite).sorted()
        let range = finite.isEmpty ? nil : Double(finite.first!)...Double(finite.last!)
        let box = volume.grid.boxLength
        let scale = Float(Double(max(1, pixels)) / max(box.x, box.y, box.z))
        let views = SurfaceViewDirection.allCases.map { direction -> View in
            let extent = [box.x, box.y, box.z]
            let w = extent[direction.rightAxis], h = extent[direction.upAxis]
            var raster = SurfaceRaster(width: max(1, Int((w * Double(scale)).rounded())), height: max(1, Int((h * Double(scale)).rounded())))
            raster.draw(mesh, values: values, direction: direction, scale: scale, boxHeight: Float(h))
            return View(direction: direction, width: raster.width, height: raster.height, physicalWidth: w, physicalHeight: h,
                        shade: Data(raster.shades()), value: range.map { Data(ValueBytes.encode(raster.value, over: $0)) } ?? Data())
        }
        return Surface(level: level, enclosedVolume: RecommendedContour.enclosed(volume, level: level), triangleCount: mesh.triangleCount,
                       samplingStep: SurfaceNets.step(for: volume.grid.size, maxEdge: maxEdge), views: views, valueRange: range,
                       valuePercentiles: finite.isEmpty ? nil : Percentiles.of(sorted: finite, 2)...Percentiles.of(sorted: finite, 98),
                       nyquist: resolution.map { 2 * $0.grid.voxelSize.max() })
    }

    /// Each of `maps` (label, volume) at the level that encloses the same volume: `volume` Å³
    /// when given, else the volume enclosed at the first map's recommended contour
    /// (`RecommendedContour.of`, the solvent-noise rule). Coloured by `resolution` when given.
    public static func maps(_ maps: [(label: String, volume: Volume)], enclosing volume: Double? = nil, resolution: Volume? = nil,
                            pixels: Int = defaultPixels) throws -> [Map] {
        guard let first = maps.first else { return [] }
        let target = volume ?? RecommendedContour.of(first.volume).enclosedVolume
        return try maps.map { m in
            // Only the level is kept, so the source named here is never read.
            let contour = RecommendedContour.enclosing(volume: target, in: m.volume, source: .molecularMass)
            return Map(label: m.label, surface: try surface(of: m.volume, level: contour.level, resolution: resolution, pixels: pixels))
        }
    }
}

/// The colour value of a surface point from a resolution map.
enum ResolutionSampling {
    /// The value of `map` at `p` (Å, box frame: voxel i's centre at (i + ½) × voxel size) by
    /// trilinear interpolation over the corners that hold a value (finite and positive). The
    /// point has a value when those corners carry at least half the weight — the trilinear
    /// interpolation of the "has a value" mask is ≥ ½ — so colour stops where the mask does.
    static func value(in map: Volume, at p: SIMD3<Float>) -> Float {
        let g = map.grid
        let q = SIMD3<Double>(p) / g.voxelSize - 0.5
        let n = g.size
        let base = SIMD3(Int(q.x.rounded(.down)), Int(q.y.rounded(.down)), Int(q.z.rounded(.down)))
        let f = q - SIMD3<Double>(Double(base.x), Double(base.y), Double(base.z))
        var sum = 0.0, weight = 0.0
        for corner in 0..<8 {
            let o = SIMD3(corner & 1, (corner >> 1) & 1, (corner >> 2) & 1)
            let c = (base &+ o).clamped(lowerBound: .zero, upperBound: n &- 1)
            let v = map.voxels[g.index(c.x, c.y, c.z)]
            guard v.isFinite, v > 0 else { continue }
            let w = (o.x == 1 ? f.x : 1 - f.x) * (o.y == 1 ? f.y : 1 - f.y) * (o.z == 1 ? f.z : 1 - f.z)
            sum += w * Double(v); weight += w
        }
        return weight >= 0.5 ? Float(sum / weight) : .nan
    }
}

/// Colour values stored in one byte per pixel.
enum ValueBytes {
    /// 0 for NaN, else 1 ... 255 for `range`'s lower ... upper bound.
    static func encode(_ values: [Float], over range: ClosedRange<Double>) -> [UInt8] {
        let span = range.upperBound - range.lowerBound
        return values.map { v in
            guard v.isFinite else { return 0 }
            let t = span > 0 ? (Double(v) - range.lowerBound) / span : 0
            return UInt8(1 + (min(1, max(0, t)) * 254).rounded())
        }
    }

    /// The value a byte stands for; NaN for 0.
    static func decode(_ byte: UInt8, over range: ClosedRange<Double>) -> Double {
        byte == 0 ? .nan : range.lowerBound + Double(byte - 1) / 254 * (range.upperBound - range.lowerBound)
    }
}

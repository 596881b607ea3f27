import Foundation

/// A direction a surface is seen from, with an orthographic camera, in the orientations of
/// `CentralSlices`: along X, y to the right and z up; along Y, x right and z up; along Z, x
/// right and y up. The viewer stands on the side that keeps each view right-handed (right ×
/// up points at the viewer: +x, −y and +z), so no view is a mirror image.
public enum SurfaceViewDirection: String, Codable, Sendable, CaseIterable {
    /// Looking down the x axis.
    case x
    /// Looking down the y axis.
    case y
    /// Looking down the z axis.
    case z

    /// The axis drawn to the right (0 = x, 1 = y, 2 = z).
    var rightAxis: Int { self == .x ? 1 : 0 }
    /// The axis drawn upwards.
    var upAxis: Int { self == .z ? 1 : 2 }
    /// The axis pointing at the viewer, and its sign.
    var towardAxis: Int { self == .x ? 0 : self == .y ? 1 : 2 }
    var towardSign: Float { self == .y ? -1 : 1 }

    /// "Along X".
    public var label: String { "Along \(rawValue.uppercased())" }
    /// "y →, z ↑".
    public var orientation: String {
        let names = ["x", "y", "z"]
        return "\(names[rightAxis]) →, \(names[upAxis]) ↑"
    }
}

/// Depth-buffered rasterisation of an isosurface mesh in one view: for each pixel the nearest
/// surface point's normal (in the view frame: right, up, towards the viewer) and colour value.
///
/// Pixel (i, j) samples the point at its centre; a triangle covers a pixel when the centre
/// lies inside it or on its edge (edges shared by two triangles are drawn by both, so no
/// crack shows), and the depth buffer keeps the point nearest the viewer. Normals and values
/// are interpolated linearly across each triangle (Phong-style normals: smooth shading from
/// the density gradient at the vertices).
struct SurfaceRaster {
    /// Pixels per row.
    let width: Int
    /// Rows, top first.
    let height: Int
    /// Height towards the viewer per pixel; −∞ where nothing was drawn.
    var depth: [Float]
    /// Interpolated normal per pixel, view frame.
    var normal: [SIMD3<Float>]
    /// Interpolated colour value per pixel; NaN where there is none.
    var value: [Float]

    /// An empty raster.
    init(width: Int, height: Int) {
        self.width = width; self.height = height
        depth = [Float](repeating: -.infinity, count: width * height)
        normal = [SIMD3<Float>](repeating: .zero, count: width * height)
        value = [Float](repeating: .nan, count: width * height)
    }

    /// Draws `mesh` seen along `direction`, at `scale` pixels per Å, in a view whose upward
    /// extent is `boxHeight` Å (the top row is at the top of the box). `values` are per
    /// vertex (NaN for none), or nil.
    mutating func draw(_ mesh: IsosurfaceMesh, values: [Float]?, direction: SurfaceViewDirection, scale: Float, boxHeight: Float) {
        let r = direction.rightAxis, u = direction.upAxis, t = direction.towardAxis, sign = direction.towardSign
        // Screen position (pixels) and depth of each vertex, and its normal in the view frame.
        let screen = mesh.positions.map { p in SIMD3<Float>(p[r] * scale, (boxHeight - p[u]) * scale, p[t] * sign) }
        let normals = mesh.normals.map { n in SIMD3<Float>(n[r], n[u], n[t] * sign) }
        let tri = mesh.triangles
        for k in stride(from: 0, to: tri.count, by: 3) {
            let ia = Int(tri[k]), ib = Int(tri[k + 1]), ic = Int(tri[k + 2])
            let corners = (screen[ia], screen[ib], screen[ic])
            let vertexValues = values.map { SIMD3($0[ia], $0[ib], $0[ic]) }
            fill(corners, normals: (normals[ia], normals[ib], normals[ic]), values: vertexValues)
        }
    }

    /// Rasterises one triangle with screen corners `c` (x, y in pixels; z = depth).
    private mutating func fill(_ c: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>), normals n: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>),
                               values: SIMD3<Float>?) {
        let (a, b, d) = c
        let area = (b.x - a.x) * (d.y - a.y) - (b.y - a.y) * (d.x - a.x)
        guard abs(area) > 1e-12 else { return }
        // Pixel centres at i + ½: the covered columns are ⌈min − ½⌉ ... ⌊max − ½⌋.
        let x0 = max(0, Int((min(a.x, b.x, d.x) - 0.5).rounded(.up))), x1 = min(width - 1, Int((max(a.x, b.x, d.x) - 0.5).rounded(.down)))
        let y0 = max(0, Int((min(a.y, b.y, d.y) - 0.5).rounded(.up))), y1 = min(height - 1, Int((max(a.y, b.y, d.y) - 0.5).rounded(.down)))
        guard x0 <= x1, y0 <= y1 else { return }
        let faceNormal = Self.faceNormal(a, b, d)
        let inverse = 1 / area, tolerance: Float = -1e-5
        for y in y0...y1 {
            let py = Float(y) + 0.5
            for x in x0...x1 {
                let px = Float(x) + 0.5
                // Barycentric weights of a, b and d.
                let wa = ((b.x - px) * (d.y - py) - (b.y - py) * (d.x - px)) * inverse
                let wb = ((d.x - px) * (a.y - py) - (d.y - py) * (a.x - px)) * inverse
                let wd = 1 - wa - wb
                guard wa >= tolerance, wb >= tolerance, wd >= tolerance else { continue }
                let z = wa * a.z + wb * b.z + wd * d.z
                let i = y * width + x
                guard z > depth[i] else { continue }
                depth[i] = z
                let smooth = wa * n.0 + wb * n.1 + wd * n.2
                normal[i] = (smooth * smooth).sum() > 1e-6 ? smooth : faceNormal
                if let values { value[i] = Self.interpolate(values, wa, wb, wd) }
            }
        }
    }

    /// The unit normal of the triangle's plane (screen y points down, so the cross product
    /// is taken in the right-handed frame right, up, towards).
    static func faceNormal(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>) -> SIMD3<Float> {
        let e1 = SIMD3(b.x - a.x, a.y - b.y, b.z - a.z), e2 = SIMD3(c.x - a.x, a.y - c.y, c.z - a.z)
        let n = SIMD3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
        let length = (n * n).sum().squareRoot()
        return length > 0 ? n / length : SIMD3(0, 0, 1)
    }

    /// The value at barycentric weights: linear when all three corners have one; otherwise
    /// the value of the heaviest corner that has one (so the edge of the coloured region
    /// stays sharp instead of turning grey), NaN when none has.
    static func interpolate(_ v: SIMD3<Float>, _ wa: Float, _ wb: Float, _ wd: Float) -> Float {
        if v.x.isFinite && v.y.isFinite && v.z.isFinite { return wa * v.x + wb * v.y + wd * v.z }
        var best = Float.nan, weight = -Float.infinity
        for (value, w) in [(v.x, wa), (v.y, wb), (v.z, wd)] where value.isFinite && w > weight { best = value; weight = w }
        return best
    }

    /// Lambert shading with ambient light: brightness 1 ... 255 per covered pixel, 0 where
    /// nothing was drawn. The light comes from the upper left, in front; both sides of the
    /// surface are lit alike (a map's surface seen through a hole at the box edge).
    func shades() -> [UInt8] {
        let light = Self.light
        return (0..<depth.count).map { i in
            guard depth[i] > -.infinity else { return 0 }
            var n = normal[i]
            let length = (n * n).sum().squareRoot()
            n = length > 0 ? n / length : SIMD3(0, 0, 1)
            if n.z < 0 { n = -n }
            let brightness = Self.ambient + (1 - Self.ambient) * max(0, (n * light).sum())
            return UInt8(max(1, min(255, (brightness * 255).rounded())))
        }
    }

    /// Share of the light that reaches every surface point.
    static let ambient: Float = 0.25
    /// Direction towards the light in the view frame (right, up, towards the viewer).
    static let light: SIMD3<Float> = {
        let l = SIMD3<Float>(-0.35, 0.45, 1)
        return l / (l * l).sum().squareRoot()
    }()
}

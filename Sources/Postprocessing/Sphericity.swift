import Foundation

/// Wadell's sphericity of a star-shaped body: Ψ = π^⅓ (6V)^⅔ / A, the surface area of the
/// sphere of the body's volume over the body's own (1 for a sphere, less for anything else).
///
/// 3DFSC (Tan et al. 2017; `calculate_sphericity` in ThreeDFSC_Analysis.py) applies it to the
/// 3-D FSC volume thresholded at FSC 0.5 (its `ThresholdForSphericity`), measuring area by
/// marching cubes. Here the body is given by its radius in every direction, r(v), and its
/// surface is an icosphere (level 4: 2562 vertices, 5120 triangles) with each vertex moved to
/// r(v)·v; V and A are those of the triangulated surface. The value is divided by that of the
/// same icosphere with constant radius (0.9993), so an isotropic body gives exactly 1.
public enum Sphericity {
    /// Ψ of the body whose radius in direction v is `radius(v)` (positive).
    public static func of(radius: (SIMD3<Double>) -> Double) -> Double {
        let mesh = Icosphere.shared
        let scaled = mesh.vertices.map { $0 * radius($0) }
        return wadell(scaled, mesh.faces) / wadell(mesh.vertices, mesh.faces)
    }

    /// Ψ of a closed triangulated surface around the origin.
    static func wadell(_ points: [SIMD3<Double>], _ faces: [SIMD3<Int>]) -> Double {
        var volume = 0.0, area = 0.0
        for f in faces {
            let a = points[f.x], b = points[f.y], c = points[f.z]
            volume += (a * cross(b, c)).sum() / 6
            let n = cross(b - a, c - a)
            area += (n * n).sum().squareRoot() / 2
        }
        return pow(Double.pi, 1.0 / 3) * pow(6 * abs(volume), 2.0 / 3) / area
    }

    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}

/// The unit icosphere: an icosahedron whose triangles are split in four `levels` times, the new
/// vertices pushed out onto the sphere. Faces wind outwards.
struct Icosphere {
    var vertices: [SIMD3<Double>]
    var faces: [SIMD3<Int>]

    /// Level 4 (2562 vertices).
    static let shared = Icosphere(levels: 4)

    init(levels: Int) {
        let t = (1 + 5.0.squareRoot()) / 2
        vertices = [SIMD3(-1, t, 0), SIMD3(1, t, 0), SIMD3(-1, -t, 0), SIMD3(1, -t, 0),
                    SIMD3(0, -1, t), SIMD3(0, 1, t), SIMD3(0, -1, -t), SIMD3(0, 1, -t),
                    SIMD3(t, 0, -1), SIMD3(t, 0, 1), SIMD3(-t, 0, -1), SIMD3(-t, 0, 1)].map { $0 / ($0 * $0).sum().squareRoot() }
        faces = [SIMD3(0, 11, 5), SIMD3(0, 5, 1), SIMD3(0, 1, 7), SIMD3(0, 7, 10), SIMD3(0, 10, 11),
                 SIMD3(1, 5, 9), SIMD3(5, 11, 4), SIMD3(11, 10, 2), SIMD3(10, 7, 6), SIMD3(7, 1, 8),
                 SIMD3(3, 9, 4), SIMD3(3, 4, 2), SIMD3(3, 2, 6), SIMD3(3, 6, 8), SIMD3(3, 8, 9),
                 SIMD3(4, 9, 5), SIMD3(2, 4, 11), SIMD3(6, 2, 10), SIMD3(8, 6, 7), SIMD3(9, 8, 1)]
        for _ in 0..<levels {
            var midpoints: [SIMD2<Int>: Int] = [:]
            var next: [SIMD3<Int>] = []
            func midpoint(_ a: Int, _ b: Int) -> Int {
                let key = SIMD2(min(a, b), max(a, b))
                if let m = midpoints[key] { return m }
                let p = vertices[a] + vertices[b]
                vertices.append(p / (p * p).sum().squareRoot())
                midpoints[key] = vertices.count - 1
                return vertices.count - 1
            }
            for f in faces {
                let ab = midpoint(f.x, f.y), bc = midpoint(f.y, f.z), ca = midpoint(f.z, f.x)
                next += [SIMD3(f.x, ab, ca), SIMD3(f.y, bc, ab), SIMD3(f.z, ca, bc), SIMD3(ab, bc, ca)]
            }
            faces = next
        }
    }
}

import Foundation
import Testing
import MapModel
@testable import Figures

/// The isosurface extraction, its rasterisation and the surface-view figure, checked against
/// an analytic sphere and a known local-resolution field.
@Suite("Surface views")
struct SurfaceViewTests {
    // MARK: extraction

    @Test("surface nets on a sphere: closed, vertices on the sphere, normals outward, enclosed volume 4/3 π R³ within 2 %")
    func sphereMesh() {
        let radius = 12.0, voxel = 1.25
        let mesh = SurfaceNets.mesh(of: FigureFixtures.ball(n: 32, voxel: voxel, radius: radius), level: 0.5)
        #expect(mesh.triangleCount > 1000)
        let centre = SIMD3<Float>(repeating: Float(32 * voxel / 2))
        var worstRadius: Float = 0, worstNormal: Float = 1
        for (p, n) in zip(mesh.positions, mesh.normals) {
            let d = p - centre
            let r = (d * d).sum().squareRoot()
            worstRadius = max(worstRadius, abs(r - Float(radius)))
            worstNormal = min(worstNormal, (n * d).sum() / r)
        }
        #expect(worstRadius < 0.1 * Float(voxel), "largest vertex distance from the sphere \(worstRadius) Å")
        #expect(worstNormal > 0.95, "least outward normal cosine \(worstNormal)")
        // Every edge is shared by exactly two triangles, once in each direction (closed, consistently wound).
        var edges: [UInt64: Int] = [:]
        for k in stride(from: 0, to: mesh.triangles.count, by: 3) {
            let t = [mesh.triangles[k], mesh.triangles[k + 1], mesh.triangles[k + 2]]
            for e in 0..<3 { edges[UInt64(t[e]) << 32 | UInt64(t[(e + 1) % 3]), default: 0] += 1 }
        }
        let unmatched = edges.filter { key, count in count != 1 || edges[(key & 0xffff_ffff) << 32 | key >> 32] != 1 }
        #expect(unmatched.isEmpty, "\(unmatched.count) directed edges without exactly one opposite")
        // Divergence theorem: positive only if the triangles are wound outward.
        var volume = 0.0
        for k in stride(from: 0, to: mesh.triangles.count, by: 3) {
            let a = SIMD3<Double>(mesh.positions[Int(mesh.triangles[k])]), b = SIMD3<Double>(mesh.positions[Int(mesh.triangles[k + 1])])
            let c = SIMD3<Double>(mesh.positions[Int(mesh.triangles[k + 2])])
            volume += (a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x)) / 6
        }
        // Flat facets about 1.8 Å across cut under the sphere by ~h²/8R: some 1 % of the volume.
        let expected = 4.0 / 3 * .pi * radius * radius * radius
        #expect(abs(volume / expected - 1) < 0.02, "mesh volume \(volume) Å³, sphere \(expected) Å³")
    }

    @Test("density touching the box is capped on the box face, so the mesh stays closed")
    func capsAtTheBox() {
        let mesh = SurfaceNets.mesh(of: Volume(grid: VoxelGrid(cube: 8, voxel: 1)) { _, _, _ in 1 }, level: 0.5)
        let low = mesh.positions.map { $0.min() }.min() ?? -1, high = mesh.positions.map { $0.max() }.max() ?? -1
        #expect(mesh.triangleCount > 0)
        #expect(abs(low - 0.5) < 1e-5 && abs(high - 7.5) < 1e-5, "cap between \(low) and \(high) Å: the outermost voxel centres")
    }

    @Test("large maps are extracted on every f-th voxel, at most maxEdge per edge")
    func samplingRule() {
        #expect(SurfaceNets.step(for: SIMD3(160, 100, 100), maxEdge: 160) == 1)
        #expect(SurfaceNets.step(for: SIMD3(161, 100, 100), maxEdge: 160) == 2)
        #expect(SurfaceNets.step(for: SIMD3(256, 256, 256), maxEdge: 160) == 2)
        #expect(SurfaceNets.step(for: SIMD3(100, 400, 100), maxEdge: 160) == 3)
    }

    // MARK: silhouette

    /// The radius, in pixels, of the disc of surface pixels in a view.
    static func discRadius(_ view: SurfaceViewFigure.View) -> Double {
        (Double(view.shade.filter { $0 > 0 }.count) / .pi).squareRoot()
    }

    @Test("an analytic sphere's silhouette has the true radius within 1 pixel in every view, with and without downsampling",
          arguments: [SurfaceNets.defaultMaxEdge, 24])
    func sphereSilhouette(maxEdge: Int) throws {
        let radius = 20.0, box = 64.0
        let surface = try SurfaceViewFigure.surface(of: FigureFixtures.ball(n: 64, voxel: 1, radius: radius), level: 0.5, pixels: 256, maxEdge: maxEdge)
        #expect(surface.samplingStep == (maxEdge < 64 ? 3 : 1))
        let truth = radius * 256 / box
        for view in surface.views {
            #expect(view.width == 256 && view.height == 256)
            let measured = Self.discRadius(view)
            #expect(abs(measured - truth) <= 1, "\(view.direction): silhouette radius \(measured) px, true \(truth) px")
            // The disc is centred: the middle row's first and last surface pixels.
            let row = [UInt8](view.shade[(128 * 256)..<(129 * 256)])
            let first = try #require(row.firstIndex { $0 > 0 }), last = try #require(row.lastIndex { $0 > 0 })
            #expect(abs(Double(first) - (128 - truth)) <= 1 && abs(Double(last + 1) - (128 + truth)) <= 1, "\(view.direction): \(first)…\(last)")
        }
    }

    @Test("in the figure's PNG the sphere's silhouette has the true radius within 1 pixel")
    func sphereSilhouetteInPNG() throws {
        let radius = 20.0
        let surface = try SurfaceViewFigure.surface(of: FigureFixtures.ball(n: 64, voxel: 1, radius: radius), level: 0.5)
        let figure = SurfaceViewFigure(title: "Sphere", maps: [.init(label: "sphere", surface: surface)], colorBar: nil)
        let image = try RasterImage(png: FigureRenderer.png(figure, scale: 2))
        let l = figure.layout()
        for (c, view) in surface.views.enumerated() {
            let tile = l.tile(row: 0, column: c, view)
            // Pixels at least half covered by the surface: the plain colour (red 169) or darker
            // over white (255) gives red ≤ 212 from half coverage on.
            var covered = 0
            for y in Int(tile.minY * 2)..<Int(tile.maxY * 2) {
                for x in Int(tile.minX * 2)..<Int(tile.maxX * 2) where (image.pixels[y * image.width + x] >> 16) & 0xff <= 212 { covered += 1 }
            }
            let measured = (Double(covered) / .pi).squareRoot(), truth = radius * l.scale * 2
            #expect(abs(measured - truth) <= 1, "\(view.direction): silhouette radius \(measured) px in the PNG, true \(truth) px")
        }
    }

    // MARK: colour

    /// The pixel of `image` at `point` (points) in a PNG of scale 2, as (red, green, blue).
    static func rgb(_ image: RasterImage, _ point: Point) -> SIMD3<Int> {
        let p = image.pixels[Int(point.y * 2) * image.width + Int(point.x * 2)]
        return SIMD3(Int((p >> 16) & 0xff), Int((p >> 8) & 0xff), Int(p & 0xff))
    }

    @Test("a sphere coloured 3 Å on the left half and 6 Å on the right shows viridis purple and yellow where expected")
    func knownResolutionColours() throws {
        let ball = FigureFixtures.ball(n: 48, voxel: 1, radius: 16)
        let resolution = FigureFixtures.splitResolution(ball.grid, left: 3, right: 6)
        let surface = try SurfaceViewFigure.surface(of: ball, level: 0.5, resolution: resolution)
        let maps = [SurfaceViewFigure.Map(label: "sphere", surface: surface)]
        let scale = try #require(SurfaceViewFigure.colorScale(for: maps))
        #expect(abs(scale.lower - 3) < 0.01 && abs(scale.upper - 6) < 0.01, "colour range \(scale.lower)–\(scale.upper) Å")
        let figure = SurfaceViewFigure(title: "Split", maps: maps, colorBar: scale)
        let image = try RasterImage(png: FigureRenderer.png(figure, scale: 2))
        let l = figure.layout()
        func isPurple(_ c: SIMD3<Int>) -> Bool { c.z > c.y + 20 && c.x > c.y + 15 }       // viridis(0) = #440154
        func isYellow(_ c: SIMD3<Int>) -> Bool { c.x > 2 * c.z && c.y > 2 * c.z && c.y > 60 } // viridis(1) = #fde725
        for (c, view) in surface.views.enumerated() {
            let tile = l.tile(row: 0, column: c, view)
            let left = Self.rgb(image, Point(tile.minX + tile.width * 0.38, tile.minY + tile.height * 0.45))
            let right = Self.rgb(image, Point(tile.minX + tile.width * 0.62, tile.minY + tile.height * 0.45))
            switch view.direction {
            case .x:
                // Seen from +x: only the right half (x ≥ centre, 6 Å) faces the viewer.
                #expect(isYellow(left) && isYellow(right), "along X: \(left) \(right)")
            case .y, .z:
                // x runs to the right: 3 Å on the left, 6 Å on the right.
                #expect(isPurple(left) && isYellow(right), "\(view.direction): left \(left), right \(right)")
            }
        }
    }

    @Test("resolution sampling: trilinear inside, no value where under half the weight has one")
    func resolutionSampling() {
        let grid = VoxelGrid(cube: 4, voxel: 2)
        let map = Volume(grid: grid) { x, _, _ in x == 0 ? 0 : Float(2 + x) }
        // Voxel centres at x = 1, 3, 5, 7 Å (values 0, 3, 4, 5).
        #expect(abs(ResolutionSampling.value(in: map, at: SIMD3(4, 3, 3)) - 3.5) < 1e-5)
        #expect(abs(ResolutionSampling.value(in: map, at: SIMD3(2.5, 3, 3)) - 3) < 1e-5)   // 25 % weight on the empty voxel
        #expect(ResolutionSampling.value(in: map, at: SIMD3(1.5, 3, 3)).isNaN)             // 75 % on it
    }

    // MARK: several maps, determinism

    @Test("maps side by side enclose the same volume")
    func sameEnclosedVolume() throws {
        let maps = FigureFixtures.blobMaps()
        let rows = try SurfaceViewFigure.maps([("original", maps.original), ("sharpened", maps.sharpened)], enclosing: 9000, pixels: 64)
        let voxel = 1.5 * 1.5 * 1.5
        for row in rows {
            #expect(abs(row.surface.enclosedVolume - 9000) <= voxel, "\(row.label): \(row.surface.enclosedVolume) Å³")
        }
        #expect(rows[0].surface.level != rows[1].surface.level)
        // Without a volume: the first map's recommended contour sets it for all.
        let recommended = RecommendedContour.of(maps.original).enclosedVolume
        let byDefault = try SurfaceViewFigure.maps([("original", maps.original), ("sharpened", maps.sharpened)], pixels: 32)
        #expect(byDefault.allSatisfy { abs($0.surface.enclosedVolume - recommended) <= voxel }, "\(byDefault.map(\.surface.enclosedVolume)) vs \(recommended)")
    }

    @Test("the same input gives the same surface, PNG and PDF bytes")
    func deterministic() throws {
        func render() throws -> (SurfaceViewFigure, Data, Data) {
            let f = FigureFixtures.surfaceViews()
            return (f, try FigureRenderer.png(f), try FigureRenderer.pdf(f, title: "surfaces"))
        }
        let a = try render(), b = try render()
        #expect(a.0.maps == b.0.maps)
        #expect(a.1 == b.1)
        #expect(a.2 == b.2)
    }

    @Test("the figure survives JSON: decoded, it draws the same PNG")
    func codable() throws {
        let f = FigureFixtures.surfaceViews()
        let decoded = try JSONDecoder().decode(SurfaceViewFigure.self, from: JSONEncoder().encode(f))
        #expect(try FigureRenderer.png(decoded) == FigureRenderer.png(f))
    }

    @Test("a level that is not a number is refused")
    func nonFiniteLevel() {
        #expect(throws: (any Error).self) { try SurfaceViewFigure.surface(of: FigureFixtures.ball(n: 8, voxel: 1, radius: 2), level: .nan) }
    }
}

/// The speed asked of the surface views: a 256³ map's three views within 3 s on 2 cores.
/// Timed only when `MAPBOOK_SURFACE_TIMING=1` (an unoptimised build is several times slower;
/// measure with `swift test -c release`).
@Suite("Surface view speed")
struct SurfaceViewSpeedTests {
    @Test("a 256³ map's three views in at most 3 s (optimised build)",
          .enabled(if: ProcessInfo.processInfo.environment["MAPBOOK_SURFACE_TIMING"] == "1"))
    func speed() throws {
        // A ball of Gaussian blobs with noise: a protein-like surface area, not a single sphere.
        let grid = VoxelGrid(cube: 256, voxel: 1.1)
        var rng = UInt64(12345)
        let volume = Volume(grid: grid) { x, y, z in
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Int64(bitPattern: rng >> 11) % 1000) / 1000 * 0.1
            let p = SIMD3<Float>(Float(x), Float(y), Float(z)) - 128
            let r = (p * p).sum().squareRoot()
            return 1 / (1 + exp((r - 90) / 3)) * (0.6 + 0.4 * sin(p.x * 0.15) * sin(p.y * 0.13) * sin(p.z * 0.11)) + noise
        }
        let resolution = Volume(grid: grid) { x, _, _ in 3 + Float(x) / 64 }
        let start = Date()
        let surface = try SurfaceViewFigure.surface(of: volume, level: 0.5, resolution: resolution)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "surface views of 256³: %.2f s, %d triangles, step %d", seconds, surface.triangleCount, surface.samplingStep))
        #if DEBUG
        #else
        #expect(seconds <= 3, "\(seconds) s")
        #endif
    }
}

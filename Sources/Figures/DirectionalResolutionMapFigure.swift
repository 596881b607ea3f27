import Foundation

/// Resolution over directions: the half sphere z ≥ 0 in Lambert's azimuthal equal-area
/// projection (centre: +z; rim: the xy plane), coloured by resolution, with a dot at every
/// measured direction and a colour bar in Å. Equal areas on the sphere stay equal on the disk,
/// so the share of the disk in a colour is the share of directions at that resolution. A
/// direction and its opposite are the same (Friedel), so the half sphere shows everything.
///
/// As in the local-resolution figures, better resolution (smaller Å) is the low end of the
/// colour map (dark in viridis) and the bottom of the bar.
public struct DirectionalResolutionMapFigure: RasterFigure, Codable, Sendable {
    /// Title above the figure.
    public var title: String
    /// Resolution per pixel of the disk's bounding square (Å; NaN outside the disk).
    public var image: SliceImage
    /// The measured directions, as points of the unit disk (x right, y up).
    public var markers: [Point]
    /// The colour map.
    public var colorMap: ColorMap
    /// Resolution at the low (best) end of the colour bar, Å.
    public var lower: Double
    /// Resolution at the high (worst) end, Å.
    public var upper: Double
    /// Size in points.
    public var size: FigureSize

    /// The map of `resolution(v)` (Å, for unit vectors v with z ≥ 0) on a `pixels`² raster,
    /// with markers at `directions` (unit vectors; those with z < 0 are shown as their
    /// opposite). The bar spans the values shown unless `range` is given.
    public init(title: String, directions: [SIMD3<Double>], resolution: (SIMD3<Double>) -> Double, pixels: Int = 160,
                colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil, size: FigureSize = FigureSize(480, 400)) {
        var values = [Float](repeating: .nan, count: pixels * pixels)
        for row in 0..<pixels {
            for column in 0..<pixels {
                let x = (Double(column) + 0.5) / Double(pixels) * 2 - 1
                let y = 1 - (Double(row) + 0.5) / Double(pixels) * 2
                guard let v = Self.direction(disk: Point(x, y)) else { continue }
                values[row * pixels + column] = Float(resolution(v))
            }
        }
        image = SliceImage(label: "", orientation: "", width: pixels, height: pixels, values: values, physicalWidth: 1, physicalHeight: 1)
        markers = directions.map { Self.disk($0.z < 0 ? -$0 : $0) }
        let shown = values.filter(\.isFinite).map(Double.init)
        lower = range?.lowerBound ?? (shown.min() ?? 0)
        upper = range?.upperBound ?? (shown.max() ?? 1)
        if !(upper > lower) { upper = lower + 0.1 }
        self.title = title
        self.colorMap = colorMap
        self.size = size
    }

    /// The point of the unit disk for direction `v` (z ≥ 0): polar angle θ goes to radius
    /// √2·sin(θ/2) (Lambert), scaled so the xy plane (θ = 90°) is the rim.
    public static func disk(_ v: SIMD3<Double>) -> Point {
        let theta = acos(min(1, max(-1, v.z)))
        let r = 2.0.squareRoot() * sin(theta / 2)
        let phi = atan2(v.y, v.x)
        return Point(r * cos(phi), r * sin(phi))
    }

    /// The direction shown at point `p` of the unit disk, nil outside it.
    public static func direction(disk p: Point) -> SIMD3<Double>? {
        let r = (p.x * p.x + p.y * p.y).squareRoot()
        guard r <= 1 else { return nil }
        let theta = 2 * asin(min(1, r / 2.0.squareRoot()))
        let phi = atan2(p.y, p.x)
        return SIMD3(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let top = 44.0, bottom = 28.0
        let diameter = min(size.height - top - bottom, size.width - 150)
        let disk = Rect(x: 30, y: top, width: diameter, height: diameter)
        let centre = Point(disk.minX + diameter / 2, disk.minY + diameter / 2)
        canvas.image(image.pixels(colorMap: colorMap, lo: lower, hi: upper), width: image.width, height: image.height, in: disk, smooth: true)
        // The rim (the xy plane) and the circle of 45° from z.
        let rim = (0...120).map { i -> Point? in
            let a = Double(i) / 120 * 2 * .pi
            return Point(centre.x + diameter / 2 * cos(a), centre.y - diameter / 2 * sin(a))
        }
        canvas.strokePolyline(rim, color: .ink, width: 0.8)
        let r45 = 2.0.squareRoot() * sin(Double.pi / 8) * diameter / 2
        canvas.strokePolyline((0...120).map { i -> Point? in
            let a = Double(i) / 120 * 2 * .pi
            return Point(centre.x + r45 * cos(a), centre.y - r45 * sin(a))
        }, color: Color(hex: 0xffffff), width: 0.6, dash: LineStyle.dotted)
        for m in markers {
            canvas.fillCircle(center: Point(centre.x + m.x * diameter / 2, centre.y - m.y * diameter / 2), radius: 1.1, color: Color(hex: 0xffffff))
        }
        canvas.text("z", at: Point(centre.x + 4, centre.y - 4), size: FigureFont.label, weight: .bold, color: Color(hex: 0xffffff), vertical: .bottom)
        canvas.text("x", at: Point(disk.maxX + 3, centre.y), size: FigureFont.label, weight: .bold, vertical: .middle)
        canvas.text("y", at: Point(centre.x, disk.minY - 2), size: FigureFont.label, weight: .bold, horizontal: .center, vertical: .bottom)
        canvas.text("centre: along z · rim: the xy plane · dotted: 45° from z · dots: cone axes", at: Point(disk.minX, disk.maxY + 8),
                    size: FigureFont.tick, color: Color(hex: 0x555555), vertical: .top)
        let bar = Rect(x: disk.maxX + 30, y: top, width: 12, height: diameter)
        ColorBar.vertical(colorMap, lo: lower, hi: upper, in: bar, title: "Resolution at FSC 0.143 (Å)", on: canvas)
    }
}

import CCairo
import Foundation

/// Horizontal placement of text relative to its anchor point.
public enum HorizontalAlignment: Sendable { case left, center, right }
/// Vertical placement of text relative to its anchor point.
public enum VerticalAlignment: Sendable { case top, middle, baseline, bottom }
/// Font weight of text.
public enum FontWeight: Sendable { case regular, bold }

/// Something to draw on: a Cairo context and the size of the area it covers, in points.
///
/// All figure code draws through this type, so the same drawing produces the PNG, the SVG and
/// the vector PDF, and can be placed on a page of the PDF report. Text uses Cairo's simple
/// ("toy") text API with the font named explicitly — DejaVu Sans, which has Å, ², ⁻ and −
/// — so the output does not depend on fontconfig defaults.
public struct Canvas {
    /// The Cairo context (`cairo_t *`).
    public let context: OpaquePointer
    /// Width of the drawing area in points.
    public let width: Double
    /// Height of the drawing area in points.
    public let height: Double

    /// The font every figure uses.
    public static let fontFamily = "DejaVu Sans"

    /// A canvas over `context`, whose drawing area is `width` × `height` points from the
    /// context's current origin.
    public init(context: OpaquePointer, width: Double, height: Double) {
        self.context = context
        self.width = width
        self.height = height
    }

    // MARK: state

    /// Runs `body` and restores the drawing state (colour, line, clip, transform) afterwards.
    public func withSavedState(_ body: () -> Void) {
        cairo_save(context)
        body()
        cairo_restore(context)
    }

    /// Limits later drawing to `rect` (until the state is restored).
    public func clip(to rect: Rect) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    /// Sets the colour of later strokes and fills.
    public func setColor(_ c: Color) { cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha) }

    /// Sets the line width and dash pattern (on/off lengths in points; empty for solid).
    public func setLine(width: Double, dash: [Double] = []) {
        cairo_set_line_width(context, width)
        cairo_set_line_cap(context, dash.isEmpty ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
    }

    // MARK: shapes

    /// Starts a new sub-path at `p`.
    public func move(to p: Point) { cairo_move_to(context, p.x, p.y) }
    /// Adds a straight segment to `p`.
    public func line(to p: Point) { cairo_line_to(context, p.x, p.y) }
    /// Strokes the current path with the current colour and line.
    public func stroke() { cairo_stroke(context) }
    /// Fills the current path with the current colour.
    public func fill() { cairo_fill(context) }

    /// Strokes one straight line.
    public func strokeLine(from a: Point, to b: Point, color: Color, width: Double, dash: [Double] = []) {
        setColor(color)
        setLine(width: width, dash: dash)
        move(to: a)
        line(to: b)
        stroke()
    }

    /// Fills `rect` with `color`.
    public func fill(_ rect: Rect, color: Color) {
        setColor(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        fill()
    }

    /// Strokes the outline of `rect`.
    public func stroke(_ rect: Rect, color: Color, width: Double) {
        setColor(color)
        setLine(width: width)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        stroke()
    }

    /// Fills a circle.
    public func fillCircle(center: Point, radius: Double, color: Color) {
        setColor(color)
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * .pi)
        fill()
    }

    /// Strokes a polyline through `points`, leaving gaps at nil entries.
    public func strokePolyline(_ points: [Point?], color: Color, width: Double, dash: [Double] = []) {
        setColor(color)
        setLine(width: width, dash: dash)
        var open = false
        for p in points {
            guard let p else { open = false; continue }
            if open { line(to: p) } else { move(to: p); open = true }
        }
        stroke()
    }

    // MARK: text

    private func selectFont(size: Double, weight: FontWeight) {
        cairo_select_font_face(context, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    /// The advance width of `text` in points.
    public func textWidth(_ text: String, size: Double, weight: FontWeight = .regular) -> Double {
        cairo_save(context)
        defer { cairo_restore(context) }
        selectFont(size: size, weight: weight)
        var e = cairo_text_extents_t()
        cairo_text_extents(context, text, &e)
        return e.x_advance
    }

    /// The font's ascent and descent at `size` (the same for every string, so labels share a
    /// baseline whatever letters they contain).
    public func fontMetrics(size: Double, weight: FontWeight = .regular) -> (ascent: Double, descent: Double) {
        cairo_save(context)
        defer { cairo_restore(context) }
        selectFont(size: size, weight: weight)
        var f = cairo_font_extents_t()
        cairo_font_extents(context, &f)
        return (f.ascent, f.descent)
    }

    /// The box `text` occupies when drawn at `point` with the given alignment (unrotated).
    public func textBox(_ text: String, at point: Point, size: Double, weight: FontWeight = .regular,
                        horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline) -> Rect {
        let w = textWidth(text, size: size, weight: weight)
        let m = fontMetrics(size: size, weight: weight)
        let left: Double
        switch horizontal {
        case .left: left = point.x
        case .center: left = point.x - w / 2
        case .right: left = point.x - w
        }
        let baseline: Double
        switch vertical {
        case .top: baseline = point.y + m.ascent
        case .middle: baseline = point.y + (m.ascent - m.descent) / 2
        case .baseline: baseline = point.y
        case .bottom: baseline = point.y - m.descent
        }
        return Rect(x: left, y: baseline - m.ascent, width: w, height: m.ascent + m.descent)
    }

    /// Draws `text` anchored at `point`; `rotation` (radians, counter-clockwise) turns it about
    /// the anchor. Returns the unrotated box it occupies.
    @discardableResult
    public func text(_ text: String, at point: Point, size: Double, weight: FontWeight = .regular, color: Color = .ink,
                     horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
                     rotation: Double = 0) -> Rect {
        let box = textBox(text, at: Point(0, 0), size: size, weight: weight, horizontal: horizontal, vertical: vertical)
        let ascent = fontMetrics(size: size, weight: weight).ascent
        cairo_save(context)
        cairo_translate(context, point.x, point.y)
        if rotation != 0 { cairo_rotate(context, -rotation) }
        selectFont(size: size, weight: weight)
        setColor(color)
        cairo_move_to(context, box.x, box.y + ascent)
        cairo_show_text(context, text)
        cairo_restore(context)
        return Rect(x: point.x + box.x, y: point.y + box.y, width: box.width, height: box.height)
    }

    /// Splits `text` into lines no wider than `width` at `size`, breaking at spaces (a word
    /// longer than the line stays whole).
    public func wrap(_ text: String, width: Double, size: Double, weight: FontWeight = .regular) -> [String] {
        var lines: [String] = []
        for paragraph in text.components(separatedBy: "\n") {
            var current = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if current.isEmpty || textWidth(candidate, size: size, weight: weight) <= width {
                    current = candidate
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
        }
        return lines
    }

    // MARK: images

    /// Draws a `width` × `height` raster into `rect`. `pixels` are row by row, top row first,
    /// as 0xAARRGGBB with the colour premultiplied by alpha (Cairo's ARGB32). `smooth` chooses
    /// bilinear interpolation; without it every pixel stays a sharp square (for maps whose
    /// values must be read, such as local resolution).
    public func image(_ pixels: [UInt32], width: Int, height: Int, in rect: Rect, smooth: Bool) {
        precondition(pixels.count == width * height, "pixel count does not match the image size")
        guard width > 0, height > 0, let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else { return }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            pixels.withUnsafeBufferPointer { src in
                for row in 0..<height {
                    let dst = UnsafeMutableRawPointer(data + row * stride).bindMemory(to: UInt32.self, capacity: width)
                    dst.update(from: src.baseAddress! + row * width, count: width)
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(context, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(cairo_get_source(context), CAIRO_EXTEND_PAD)
        cairo_paint(context)
        cairo_restore(context)
    }

    /// The ARGB32 pixel for an opaque colour.
    public static func pixel(_ c: Color) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32(max(0, min(255, (v * 255).rounded()))) }
        return 0xff00_0000 | byte(c.red) << 16 | byte(c.green) << 8 | byte(c.blue)
    }
}

import CCairo
import Foundation
import MapbookCore

/// A drawing of fixed size that can be rendered to PNG, SVG and PDF, or placed on a page.
///
/// Figures are plain values (their data plus layout choices), so they can be made on any
/// thread, encoded as JSON next to the report, and drawn more than once.
public protocol Figure: Sendable {
    /// The drawing's size in points.
    var size: FigureSize { get }
    /// Draws the figure on `canvas`, whose area is `size`.
    func draw(on canvas: Canvas)
    /// The formats worth writing: all three for drawings of lines and text; PNG and PDF for
    /// figures made mostly of images (slices, surfaces), whose SVG would only wrap the same
    /// pixels at several times the size.
    var formats: [FigureFormat] { get }
}

extension Figure {
    /// PNG, SVG and PDF.
    public var formats: [FigureFormat] { FigureFormat.allCases }
}

/// A figure made mostly of images: written as PNG and PDF only (see `Figure.formats`).
public protocol RasterFigure: Figure {}

extension RasterFigure {
    /// PNG and PDF.
    public var formats: [FigureFormat] { [.png, .pdf] }
}

/// The file formats a figure is written in.
public enum FigureFormat: String, Sendable, CaseIterable, Codable {
    /// Raster, for HTML and notebooks.
    case png
    /// Vector, for the web and editing.
    case svg
    /// Vector, for print and the PDF report.
    case pdf
}

/// Renders figures to bytes.
public enum FigureRenderer {
    /// Pixels per point of PNG output: 2 makes figures sharp on high-density screens.
    /// 1.5 device pixels per point: sharp on most screens, and a report of a dozen cells stays
    /// under its size budget with every figure embedded (2 pixels per point made the 100³ demo
    /// report 12.6 MB).
    public static let defaultScale = 1.5

    /// The figure as PNG bytes at `scale` pixels per point, on white.
    public static func png(_ figure: any Figure, scale: Double = defaultScale) throws -> Data {
        let w = Int32((figure.size.width * scale).rounded()), h = Int32((figure.size.height * scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) else { throw failure("PNG") }
        defer { cairo_surface_destroy(surface) }
        try drawPage(figure, on: surface, scale: scale)
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw failure("PNG") }
        return sink.data
    }

    /// The figure as SVG bytes.
    public static func svg(_ figure: any Figure) throws -> Data {
        let sink = ByteSink()
        guard let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                figure.size.width, figure.size.height) else { throw failure("SVG") }
        try drawPage(figure, on: surface, scale: 1)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw failure("SVG") }
        return sink.data
    }

    /// The figure as a one-page vector PDF. `date` becomes the creation and modification date,
    /// which makes the bytes reproducible (Cairo would otherwise stamp the current second).
    public static func pdf(_ figure: any Figure, title: String = "", date: Date = Date(timeIntervalSince1970: 0)) throws -> Data {
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                figure.size.width, figure.size.height) else { throw failure("PDF") }
        PDFMetadata.apply(to: surface, title: title, date: date)
        try drawPage(figure, on: surface, scale: 1)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw failure("PDF") }
        return sink.data
    }

    /// The figure in `format`.
    public static func render(_ figure: any Figure, as format: FigureFormat, title: String = "", date: Date = Date(timeIntervalSince1970: 0)) throws -> Data {
        switch format {
        case .png: return try png(figure)
        case .svg: return try svg(figure)
        case .pdf: return try pdf(figure, title: title, date: date)
        }
    }

    /// Draws `figure` scaled uniformly to fit `rect` on an existing canvas (a PDF page).
    public static func draw(_ figure: any Figure, on canvas: Canvas, in rect: Rect) {
        let s = min(rect.width / figure.size.width, rect.height / figure.size.height)
        canvas.withSavedState {
            cairo_translate(canvas.context, rect.x, rect.y)
            cairo_scale(canvas.context, s, s)
            canvas.clip(to: Rect(x: 0, y: 0, width: figure.size.width, height: figure.size.height))
            figure.draw(on: Canvas(context: canvas.context, width: figure.size.width, height: figure.size.height))
        }
    }

    /// Runs `body` on a canvas of `size` that records nothing kept: for measuring text and
    /// laying out a figure without rendering it (tests check label boxes this way).
    static func measuring<T>(_ size: FigureSize, _ body: (Canvas) -> T) -> T {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr); cairo_surface_destroy(surface) }
        return body(Canvas(context: cr!, width: size.width, height: size.height))
    }

    private static func drawPage(_ figure: any Figure, on surface: OpaquePointer, scale: Double) throws {
        guard let cr = cairo_create(surface) else { throw failure("drawing") }
        defer { cairo_destroy(cr) }
        fixFontOptions(cr)
        cairo_scale(cr, scale, scale)
        let canvas = Canvas(context: cr, width: figure.size.width, height: figure.size.height)
        canvas.fill(Rect(x: 0, y: 0, width: figure.size.width, height: figure.size.height), color: .white)
        figure.draw(on: canvas)
        cairo_show_page(cr)
        guard cairo_status(cr) == CAIRO_STATUS_SUCCESS else {
            throw MapbookError("Cairo could not draw a figure: \(String(cString: cairo_status_to_string(cairo_status(cr))))")
        }
    }

    /// Text drawn the same way whatever was drawn before in the process: without explicit
    /// options a scaled font's hinting comes from whichever surface (PDF or image) first made
    /// it, so a PNG's pixels depended on render order.
    private static func fixFontOptions(_ cr: OpaquePointer) {
        guard let options = cairo_font_options_create() else { return }
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(cr, options)
    }

    private static func failure(_ what: String) -> MapbookError {
        MapbookError("Cairo could not create a \(what) surface for a figure")
    }
}

/// Collects the bytes Cairo writes through a stream callback.
final class ByteSink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}

/// PDF document metadata.
public enum PDFMetadata {
    /// Sets the title, creator and both dates of a PDF surface. Fixed dates make a PDF
    /// byte-reproducible; Cairo 1.16 ignores SOURCE_DATE_EPOCH.
    public static func apply(to surface: OpaquePointer, title: String, date: Date) {
        let stamp = UTCTime.string(date, .iso)
        if !title.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "mapbook")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)
    }
}

import CCairo
import Figures
import Foundation
import MapbookCore
import Notebook

/// The multi-page PDF report, drawn with Cairo on A4: a cover with the at-a-glance table,
/// flags and contents; each cell with its text, vector figures, tables and parameters; the
/// provenance last. Every page has a footer with its number; every cell has an outline
/// (bookmark) entry. No hyperlinks: Cairo 1.16 writes link annotations that qpdf reports as
/// damaged.
///
/// Layout runs twice: once into a discarded PDF to learn the page count and where each cell
/// starts (for "page n of N" and the contents), then for real.
enum PDFReport {
    /// The PDF's bytes. `date` is stamped as its creation date.
    static func render(_ content: ReportContent, date: Date) throws -> Data {
        let dry = try PDFPageWriter.layout(content, pass: nil)
        return try PDFPageWriter.layout(content, pass: (pages: dry.pages, cellPages: dry.cellPages, date: date)).data
    }
}

/// Lays out and draws report pages, moving down the page and starting new ones as needed.
final class PDFPageWriter {
    static let pageWidth = 595.0, pageHeight = 842.0
    static let margin = 52.0, top = 54.0, bottom = 64.0

    let surface: OpaquePointer
    let cr: OpaquePointer
    let canvas: Canvas
    let sink: PDFSink
    let title: String
    let totalPages: Int?
    var page = 1
    var y = top
    /// First page of each analysis cell, by id (recorded in this pass).
    var cellPages: [String: Int] = [:]

    var width: Double { Self.pageWidth - 2 * Self.margin }
    var left: Double { Self.margin }

    init(title: String, totalPages: Int?, date: Date?) throws {
        sink = PDFSink(keep: totalPages != nil)
        guard let s = cairo_pdf_surface_create_for_stream(PDFSink.write, Unmanaged.passUnretained(sink).toOpaque(), Self.pageWidth, Self.pageHeight) else {
            throw MapbookError("Cairo could not create the PDF report")
        }
        surface = s
        PDFMetadata.apply(to: s, title: title, date: date ?? Date(timeIntervalSince1970: 0))
        guard let c = cairo_create(s) else { cairo_surface_destroy(s); throw MapbookError("Cairo could not draw the PDF report") }
        cr = c
        canvas = Canvas(context: c, width: Self.pageWidth, height: Self.pageHeight)
        self.title = title
        self.totalPages = totalPages
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    // MARK: the document

    struct Result { var data: Data; var pages: Int; var cellPages: [String: Int] }

    static func layout(_ c: ReportContent, pass: (pages: Int, cellPages: [String: Int], date: Date)?) throws -> Result {
        let w = try PDFPageWriter(title: c.title, totalPages: pass?.pages, date: pass?.date)
        let final = pass != nil
        if final { w.outline("At a glance") }
        w.cover(c, cellPages: pass?.cellPages ?? [:])
        w.newPage()
        for s in c.sections {
            switch s {
            case .markdown(let text): w.markdown(text)
            case .cell(let cell): w.cell(cell, outline: final)
            }
        }
        w.newPage()
        if final { w.outline("Provenance") }
        w.cellPages[provenanceKey] = w.page
        w.provenance(c.provenance)
        return try w.finish()
    }

    func finish() throws -> Result {
        footer()
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw MapbookError("Cairo could not write the PDF report: \(String(cString: cairo_status_to_string(cairo_surface_status(surface))))")
        }
        return Result(data: sink.data, pages: page, cellPages: cellPages)
    }

    func outline(_ name: String) {
        cairo_pdf_surface_add_outline(surface, Int32(CAIRO_PDF_OUTLINE_ROOT), name, "page=\(page)", cairo_pdf_outline_flags_t(rawValue: 0))
    }

    // MARK: pages

    func newPage() {
        footer()
        cairo_show_page(cr)
        page += 1
        y = Self.top
    }

    /// Starts a new page unless `height` more points fit on this one.
    func ensure(_ height: Double) {
        if y + height > Self.pageHeight - Self.bottom && y > Self.top + 1 { newPage() }
    }

    func footer() {
        let text = totalPages.map { "\(title) · page \(page) of \($0)" } ?? "\(title) · page \(page)"
        canvas.strokeLine(from: Point(left, Self.pageHeight - 44), to: Point(left + width, Self.pageHeight - 44), color: Color(hex: 0xdddddd), width: 0.6)
        canvas.text(text, at: Point(Self.pageWidth / 2, Self.pageHeight - 30), size: 8, color: Color(hex: 0x777777), horizontal: .center, vertical: .baseline)
    }

    // MARK: text

    /// Lines of `text` no wider than `width`; words longer than a line are cut.
    func lines(_ text: String, size: Double, weight: FontWeight = .regular, width: Double) -> [String] {
        var out: [String] = []
        for line in canvas.wrap(text, width: width, size: size, weight: weight) {
            if canvas.textWidth(line, size: size, weight: weight) <= width { out.append(line); continue }
            var piece = ""
            for ch in line {
                if canvas.textWidth(piece + String(ch), size: size, weight: weight) > width, !piece.isEmpty { out.append(piece); piece = "" }
                piece.append(ch)
            }
            if !piece.isEmpty { out.append(piece) }
        }
        return out
    }

    func lineHeight(_ size: Double) -> Double { size * 1.38 }

    /// Draws wrapped text, moving down; breaks across pages between lines.
    func paragraph(_ text: String, size: Double = 10, weight: FontWeight = .regular, color: Color = .ink, indent: Double = 0, after: Double = 6) {
        for line in lines(text, size: size, weight: weight, width: width - indent) {
            ensure(lineHeight(size))
            canvas.text(line, at: Point(left + indent, y), size: size, weight: weight, color: color, vertical: .top)
            y += lineHeight(size)
        }
        y += after
    }

    /// The height `paragraph` would take for the same arguments.
    func paragraphHeight(_ text: String, size: Double = 10, weight: FontWeight = .regular, indent: Double = 0, after: Double = 6) -> Double {
        Double(lines(text, size: size, weight: weight, width: width - indent).count) * lineHeight(size) + after
    }

    func heading(_ text: String, size: Double, keepWith: Double = 60) {
        ensure(lineHeight(size) + keepWith)
        paragraph(text, size: size, weight: .bold, after: 4)
    }

    func markdown(_ text: String) {
        for block in MarkdownBlock.parse(text) {
            switch block {
            case .heading(let level, let t): y += level <= 2 ? 6 : 2; heading(t, size: [18, 15, 12.5, 11, 10.5, 10][level - 1])
            case .paragraph(let t): paragraph(t)
            case .listItem(let marker, let t):
                let size = 10.0
                let ls = lines(t, size: size, width: width - 16)
                for (i, line) in ls.enumerated() {
                    ensure(lineHeight(size))
                    if i == 0 { canvas.text(marker, at: Point(left + 2, y), size: size, vertical: .top) }
                    canvas.text(line, at: Point(left + 16, y), size: size, vertical: .top)
                    y += lineHeight(size)
                }
                y += 2
            case .code(let t):
                for line in t.components(separatedBy: "\n") {
                    ensure(lineHeight(9))
                    canvas.fill(Rect(x: left, y: y - 1, width: width, height: lineHeight(9)), color: Color(hex: 0xf3f3f5))
                    canvas.text(line, at: Point(left + 6, y), size: 9, color: Color(hex: 0x333333), vertical: .top)
                    y += lineHeight(9)
                }
                y += 6
            case .rule:
                ensure(10)
                canvas.strokeLine(from: Point(left, y + 4), to: Point(left + width, y + 4), color: Color(hex: 0xcccccc), width: 0.8)
                y += 12
            }
        }
        y += 4
    }

    // MARK: tables

    /// A table with a bold header row; columns share the width by their content. A number
    /// never breaks across lines: a number with its unit or its partner ("4.52 Å", "1.86 / 33",
    /// "96 × 96 × 96") is one unit (`TableText.unbreakable`), every column is at least as wide
    /// as its widest unit, and when the units cannot all fit the width the table's type shrinks
    /// (to 6 points) until they do. The title stays on the page of the header and first row.
    func table(_ columns: [String], _ rows: [[String]], size requested: Double = 8.5, title: String? = nil, boldFirstColumn: Bool = false, boldColumns: Set<Int> = []) {
        let bold = boldFirstColumn ? boldColumns.union([0]) : boldColumns
        let n = max(columns.count, rows.map(\.count).max() ?? 0)
        guard n > 0 else { return }
        let header = columns.map(TableText.unbreakable), body = rows.map { $0.map(TableText.unbreakable) }
        let (size, widths) = tableLayout(header, body, columns: n, size: requested, bold: bold)
        let pad = Self.cellPad
        func cellLines(_ row: [String], header: Bool) -> [[String]] {
            (0..<n).map { i in i < row.count ? lines(row[i], size: size, weight: header || bold.contains(i) ? .bold : .regular, width: widths[i] - 2 * pad) : [] }
        }
        func rowHeight(_ ls: [[String]]) -> Double { Double(max(1, ls.map(\.count).max() ?? 1)) * lineHeight(size) + 2 * pad - 2 }
        if let title {
            let first = [header.isEmpty ? nil : rowHeight(cellLines(header, header: true)), body.first.map { rowHeight(cellLines($0, header: false)) }]
            ensure(paragraphHeight(title, size: size + 1, weight: .bold, after: 2) + first.compactMap { $0 }.reduce(0, +))
            paragraph(title, size: size + 1, weight: .bold, after: 2)
        }
        func drawRow(_ row: [String], header: Bool) {
            let ls = cellLines(row, header: header)
            let h = rowHeight(ls)
            ensure(h)
            if header { canvas.fill(Rect(x: left, y: y, width: widths.reduce(0, +), height: h), color: Color(hex: 0xf0f0f3)) }
            var x = left
            for i in 0..<n {
                for (k, line) in ls[i].enumerated() {
                    canvas.text(TableText.printable(line), at: Point(x + pad, y + pad - 1 + Double(k) * lineHeight(size)), size: size,
                                weight: header || bold.contains(i) ? .bold : .regular, vertical: .top)
                }
                x += widths[i]
            }
            y += h
            canvas.strokeLine(from: Point(left, y), to: Point(left + widths.reduce(0, +), y), color: Color(hex: 0xd5d5da), width: 0.5)
        }
        if !header.isEmpty { drawRow(header, header: true) }
        for row in body { drawRow(row, header: false) }
        y += 10
    }

    static let cellPad = 4.0

    /// The type size and column widths of a table: natural widths (capped at 260 points)
    /// scaled to the page, each column kept at least as wide as its widest unbreakable unit.
    func tableLayout(_ header: [String], _ rows: [[String]], columns n: Int, size requested: Double, bold: Set<Int>) -> (size: Double, widths: [Double]) {
        var size = requested
        while true {
            var natural = [Double](repeating: 20, count: n), least = [Double](repeating: 20, count: n)
            for (r, row) in ([header] + rows).enumerated() {
                for (i, cell) in row.enumerated() where i < n {
                    let weight: FontWeight = (r == 0 && !header.isEmpty) || bold.contains(i) ? .bold : .regular
                    natural[i] = max(natural[i], min(260, canvas.textWidth(cell, size: size, weight: .bold) + 2 * Self.cellPad))
                    let widestUnit = cell.split(separator: " ").map { canvas.textWidth(String($0), size: size, weight: weight) }.max() ?? 0
                    least[i] = max(least[i], widestUnit + 2 * Self.cellPad + 0.5)
                }
            }
            natural = zip(natural, least).map { max($0, $1) }
            let total = natural.reduce(0, +), leastTotal = least.reduce(0, +)
            if total <= width {
                // Room for every column's natural width: share the page as before.
                return (size, natural.map { $0 * width / max(total, width * 0.6) })
            }
            if leastTotal <= width {
                // Give each column its least width, then the rest in proportion to what it lacks.
                let k = (width - leastTotal) / (total - leastTotal)
                return (size, zip(natural, least).map { $1 + ($0 - $1) * k })
            }
            if size <= 6 { return (size, least.map { $0 * width / leastTotal }) }
            size = max(6, size * width / leastTotal - 0.05)
        }
    }

    // MARK: report parts

    func cover(_ c: ReportContent, cellPages: [String: Int]) {
        y = Self.top + 6
        paragraph(c.title, size: 21, weight: .bold, after: 4)
        paragraph("Dataset \(c.datasetName) · generated \(c.generated) by mapbook \(c.mapbookVersion)", size: 10, color: Color(hex: 0x555555), after: 14)
        if !c.verdicts.isEmpty {
            heading("Verdict", size: 13)
            table([], c.verdicts.map { [$0.section, $0.level.rawValue.uppercased(), $0.reason + ($0.action.map { " → \($0)" } ?? "")] },
                  size: 8.5, boldColumns: [1])
        }
        heading("At a glance", size: 13)
        table([], c.glance.map { [$0.label, $0.value, $0.detail] }, size: 8.5, boldColumns: [1])
        if !c.flags.isEmpty {
            heading("Flags", size: 13)
            for f in c.flags { paragraph("• " + f, size: 9, color: OkabeIto.vermillion, after: 2) }
            y += 8
        }
        heading("Contents", size: 13)
        for cell in c.cells {
            ensure(lineHeight(10))
            let r = cell.record
            let name = "\(r.title) (\(r.id)) — \(cell.statusText)"
            canvas.text(name, at: Point(left, y), size: 10, vertical: .top)
            if let p = cellPages[r.id] { canvas.text("\(p)", at: Point(left + width, y), size: 10, horizontal: .right, vertical: .top) }
            y += lineHeight(10)
        }
        ensure(lineHeight(10))
        canvas.text("Provenance", at: Point(left, y), size: 10, vertical: .top)
        if let p = cellPages[Self.provenanceKey] { canvas.text("\(p)", at: Point(left + width, y), size: 10, horizontal: .right, vertical: .top) }
        y += lineHeight(10)
    }

    /// The key under which the provenance page is recorded among the cells' pages.
    static let provenanceKey = " provenance"

    func cell(_ cell: ReportContent.CellItem, outline: Bool) {
        let r = cell.record
        if y > Self.top + 1 && y > Self.pageHeight * 0.55 { newPage() }
        // The heading and what comes before the first figure go on that figure's page.
        ensure(min(leadHeight(cell), Self.pageHeight - Self.top - Self.bottom))
        cellPages[r.id] = page
        if outline { self.outline(r.title) }
        y += 4
        paragraph(r.title, size: 15, weight: .bold, after: 1)
        paragraph("\(r.kind) · \(r.id) · \(cell.statusText)", size: 8.5, color: Color(hex: 0x666666), after: 8)
        if let m = r.message { paragraph(m, size: 9.5, color: OkabeIto.vermillion, after: 8) }
        if let s = cell.summary { paragraph(s, size: 10, after: 8) }
        for f in cell.flags { paragraph("Flag: " + f, size: 9, color: OkabeIto.vermillion, after: 3) }
        for n in cell.notes { paragraph("Note: " + n, size: 8.5, color: Color(hex: 0x555555), after: 3) }
        for f in cell.figures {
            let scale = min(1, width / f.figure.size.width)
            let h = f.figure.size.height * scale
            ensure(figureBlockHeight(f))
            FigureRenderer.draw(f.figure, on: canvas, in: Rect(x: left + (width - f.figure.size.width * scale) / 2, y: y, width: f.figure.size.width * scale, height: h))
            y += h + 4
            paragraph(f.caption, size: 8.5, color: Color(hex: 0x555555), after: 12)
        }
        for t in cell.tables {
            table(t.columns, t.rows, title: t.title)
            if let note = t.note { paragraph(note, size: 8, color: Color(hex: 0x666666), after: 8) }
        }
        if !cell.parameters.isEmpty {
            // One compact paragraph: a table of a dozen short rows would fill half a page.
            paragraph("Parameters: " + cell.parameters.map { "\($0.key) = \($0.value)" }.joined(separator: " · "), size: 7.5, color: Color(hex: 0x555555), after: 4)
        }
        y += 8
    }

    /// A figure's height on the page with the first lines of its caption (kept together).
    func figureBlockHeight(_ f: ReportContent.FigureItem) -> Double {
        let h = f.figure.size.height * min(1, width / f.figure.size.width)
        return h + 4 + Double(min(lines(f.caption, size: 8.5, width: width).count, 4)) * lineHeight(8.5) + 8
    }

    /// The height of a cell's heading, status line, message, summary and flags, plus its
    /// first figure (or, without figures, a table's first lines): what must share a page.
    func leadHeight(_ cell: ReportContent.CellItem) -> Double {
        let r = cell.record
        var h = 4 + paragraphHeight(r.title, size: 15, weight: .bold, after: 1)
            + paragraphHeight("\(r.kind) · \(r.id) · \(cell.statusText)", size: 8.5, after: 8)
        if let m = r.message { h += paragraphHeight(m, size: 9.5, after: 8) }
        if let s = cell.summary { h += paragraphHeight(s, size: 10, after: 8) }
        for f in cell.flags { h += paragraphHeight("Flag: " + f, size: 9, after: 3) }
        for n in cell.notes { h += paragraphHeight("Note: " + n, size: 8.5, after: 3) }
        if let f = cell.figures.first { h += figureBlockHeight(f) } else if !cell.tables.isEmpty { h += lineHeight(9.5) + 3 * lineHeight(8.5) }
        return h
    }

    func provenance(_ p: Provenance) {
        heading("Provenance", size: 15)
        table([], [["mapbook", "\(p.mapbookVersion) (engine revision \(p.engineRevision))"],
                         ["Command", p.commandLine.joined(separator: " ")],
                         ["Plan", "\(p.planPath)  SHA-256 \(p.planSHA256)"],
                         ["Run", String(format: "%@ on %@, %d threads, %.2f s", p.started, p.host, p.threads, p.wallSeconds)]],
              size: 8, boldFirstColumn: true)
        table(["Field", "File", "SHA-256"], p.inputs.map { [$0.field, $0.path, $0.sha256 ?? ($0.problem ?? "—")] }, size: 7, title: "Inputs")
        table(["Cell", "Kind", "Status", "Wall time", "Peak memory"],
              p.cells.map { [$0.id, $0.kind, $0.status.rawValue, String(format: "%.2f s", $0.wallSeconds), $0.peakMemoryBytes.map { HTMLReport.byteCount(Int64($0)) } ?? "—"] },
              size: 8, title: "Cells")
        paragraph("Wall time and peak memory of cached cells are those of the run that computed them.", size: 8, color: Color(hex: 0x666666))
    }
}

/// Receives the PDF bytes Cairo writes (or, in the layout pass, drops them).
final class PDFSink {
    var data = Data()
    let keep: Bool
    init(keep: Bool) { self.keep = keep }

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue()
        if sink.keep { sink.data.append(bytes, count: Int(length)) }
        return CAIRO_STATUS_SUCCESS
    }
}

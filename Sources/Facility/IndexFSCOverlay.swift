import Foundation
import Figures
import MapbookCore
import Notebook
import NotebookCells

extension FacilityIndex {
    /// File stem of the FSC overlay in `index_files/` (.png, .svg, .pdf and the plotted .json).
    static let overlayStem = "fsc_overlay"

    /// The FSC table of the cell that fills a row's resolution column, relative to the report
    /// folder; nil when that cell wrote none.
    static func fscTable(in folder: String, row: Row) -> String? {
        guard let cell = row[.fscResolution].cell else { return nil }
        let path = "data/\(cell)_\(IndexFigures.fscTable)"
        return FileManager.default.fileExists(atPath: folder + "/" + path) ? path : nil
    }

    /// The final FSC curve in an FSC table (tab-separated, a header line naming the columns);
    /// nil when the table lacks the columns or has no finite value. An empty field is NaN.
    static func readFSCCurve(_ text: String) -> (frequency: [Double], fsc: [Double])? {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { return nil }
        let header = lines.removeFirst()
        guard let f = header.firstIndex(of: IndexFigures.fscFrequencyColumn), let c = header.firstIndex(of: IndexFigures.fscCorrectedColumn) else { return nil }
        var frequency: [Double] = [], fsc: [Double] = []
        for fields in lines where fields.count > max(f, c) {
            guard let x = Double(fields[f]), x.isFinite else { continue }
            frequency.append(x)
            fsc.append(Double(fields[c]) ?? .nan)
        }
        return fsc.contains(where: \.isFinite) ? (frequency, fsc) : nil
    }

    /// The overlay of every row's FSC curve that can be read.
    func fscOverlay(root: String) -> FSCOverlayFigure {
        let curves = datasets.compactMap { r -> FSCOverlayFigure.Curve? in
            guard let path = r.fscCurve, let data = FileManager.default.contents(atPath: root + "/" + path),
                  let curve = Self.readFSCCurve(String(decoding: data, as: UTF8.self)) else { return nil }
            let resolution = r[.fscResolution]
            return .init(name: r.dataset, frequency: curve.frequency, fsc: curve.fsc, resolution: resolution.value,
                         nyquistLimited: resolution.limit != nil)
        }
        return FSCOverlayFigure(title: "Final FSC of every dataset", curves: curves)
    }

    /// Writes the overlay into `index_files/`; returns its PNG's path relative to the index,
    /// or nil when no dataset has a curve or the files cannot be written.
    func writeFSCOverlay(root: String) -> String? {
        let figure = fscOverlay(root: root)
        guard !figure.curves.isEmpty else { return nil }
        let stem = Self.filesFolder + "/" + Self.overlayStem
        do {
            for format in FigureFormat.allCases {
                try AtomicFile.write(try FigureRenderer.render(figure, as: format, title: figure.title), to: root + "/" + stem + "." + format.rawValue)
            }
            try AtomicFile.write(try JSONPolicy.encode(figure, pretty: true, nonFinite: .null), to: root + "/" + stem + ".json")
        } catch {
            return nil
        }
        return stem + ".png"
    }
}

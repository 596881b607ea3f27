import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension EMDBFSCXML {
    /// One point of an FSC XML file.
    public struct Point: Sendable, Equatable {
        /// Spatial frequency, Å⁻¹.
        public var x: Double
        /// FSC.
        public var y: Double

        /// A point.
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// Reads an FSC XML document back with an XML parser: the root must be `<fsc>`, every
    /// child a `<coordinate>` holding one finite `<x>` and one finite `<y>`, frequencies rising.
    /// Throws a one-line description of the first fault.
    public static func points(of data: Data) throws -> [Point] {
        let reader = FSCXMLReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            throw FSCXMLProblem("not well-formed XML: \(parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error") at line \(parser.lineNumber)")
        }
        if let problem = reader.problem { throw FSCXMLProblem(problem) }
        guard reader.sawRoot else { throw FSCXMLProblem("the root element is not <fsc>") }
        // Some parsers end at the end of the data without an error; an open element is not well formed.
        guard reader.closedRoot else { throw FSCXMLProblem("not well-formed XML: <fsc> is never closed") }
        guard !reader.points.isEmpty else { throw FSCXMLProblem("no <coordinate> points") }
        for (a, b) in zip(reader.points, reader.points.dropFirst()) where !(b.x > a.x) {
            throw FSCXMLProblem(String(format: "frequencies do not rise (%.6f after %.6f)", b.x, a.x))
        }
        return reader.points
    }
}

/// Why an FSC XML file was refused.
public struct FSCXMLProblem: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The parser's delegate: collects `<coordinate><x/><y/></coordinate>` under `<fsc>`.
private final class FSCXMLReader: NSObject, XMLParserDelegate {
    var points: [EMDBFSCXML.Point] = []
    var problem: String?
    var sawRoot = false
    var closedRoot = false
    private var path: [String] = []
    private var text = ""
    private var x: Double?, y: Double?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let expected: [String]
        switch path.count {
        case 0: expected = ["fsc"]
        case 1: expected = ["coordinate"]
        case 2: expected = ["x", "y"]
        default: expected = []
        }
        if !expected.contains(name) { fail("unexpected <\(name)> inside <\(path.last ?? "document")>") }
        if name == "fsc" { sawRoot = true }
        if name == "coordinate" { x = nil; y = nil }
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        path.removeLast()
        let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
        switch name {
        case "x", "y":
            guard let v = value, v.isFinite else { return fail("<\(name)> holds '\(text)', not a finite number") }
            if name == "x" { if x != nil { fail("two <x> in one <coordinate>") }; x = v } else { if y != nil { fail("two <y> in one <coordinate>") }; y = v }
        case "coordinate":
            guard let x, let y else { return fail("a <coordinate> without both <x> and <y>") }
            points.append(.init(x: x, y: y))
        case "fsc": closedRoot = true
        default: break
        }
        text = ""
    }

    private func fail(_ message: String) { if problem == nil { problem = message } }
}

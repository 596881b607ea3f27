import Foundation
import Testing

/// The engine (Sources/Notebook) knows no algorithm: its files import none of the algorithm
/// modules, which only NotebookCells may use.
@Suite struct EngineImportTests {
    static let algorithmModules: Set<String> = [
        "FourierEngine", "ModelMaps", "ModelRefinement", "Symmetry", "Postprocessing", "Simulation", "LocalResolution",
        "LocalSharpening", "Sharpening", "DensityModification", "Reports", "NotebookCells",
    ]

    static var engineDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Notebook")
    }

    /// The modules a Swift file imports (`import X`, `@testable import X`, `public import X`, …).
    static func imports(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                  words[..<i].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains($0) })
            else { return nil }
            // `import struct M.T` names the module after the declaration kind.
            let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]
            let j = kinds.contains(words[i + 1]) ? i + 2 : i + 1
            guard j < words.count else { return nil }
            return words[j].split(separator: ".").first.map(String.init)
        }
    }

    @Test("the Notebook engine imports no algorithm module")
    func engineImportsNoAlgorithm() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.engineDirectory.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10, "expected the engine's sources under \(Self.engineDirectory.path)")
        for file in files {
            let text = try String(contentsOf: Self.engineDirectory.appendingPathComponent(file), encoding: .utf8)
            let bad = Self.imports(in: text).filter(Self.algorithmModules.contains)
            #expect(bad.isEmpty, "Sources/Notebook/\(file) imports \(bad.joined(separator: ", "))")
        }
    }

    @Test("the import reader sees every form of import")
    func readsImports() {
        #expect(Self.imports(in: "import Foundation\n@testable import Postprocessing\npublic import Reports\nimport struct FourierEngine.Shells\n// import Sharpening")
                == ["Foundation", "Postprocessing", "Reports", "FourierEngine"])
    }
}

import Foundation
import MapbookCore
import Notebook
import NotebookCells
import NotebookTestSupport
@testable import NotebookReport

/// One run of the full test plan with its report written, shared by the read-only checks
/// (made once per test process; the folder is removed at exit).
struct ReportFixture: @unchecked Sendable {
    let data: NotebookTestData
    let run: NotebookRun
    let output: String
    let files: [String]

    static let shared: ReportFixture = {
        let data = try! NotebookTestData()
        let plan = try! data.writePlan(NotebookTestData.fullPlan())
        let run = try! data.run(plan)
        let output = data.file("out")
        let files = try! ReportWriter.write(run, to: output)
        folderToRemove = data.folder.path
        atexit { if let f = folderToRemove { try? FileManager.default.removeItem(atPath: f) } }
        return ReportFixture(data: data, run: run, output: output, files: files)
    }()

    func path(_ name: String) -> String { output + "/" + name }
}

nonisolated(unsafe) private var folderToRemove: String?

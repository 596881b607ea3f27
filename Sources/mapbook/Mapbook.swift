import ArgumentParser
import Foundation
import MapbookCore

/// The `mapbook` command: a thin front end over the library. Each subcommand parses its
/// options, calls one library function, and writes outputs atomically.
@main
struct Mapbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapbook",
        abstract: "Improve cryo-EM maps and report on them.",
        version: MapbookVersion.string,
        subcommands: [RunCommand.self, DemoCommand.self, InitCommand.self, BatchCommand.self,
                      PostprocessCommand.self, SharpenCommand.self, FSCCommand.self, LocalResolutionCommand.self, LocalSharpenCommand.self,
                      DensityModifyCommand.self, SymmetryCommand.self,
                      ModelMapCommand.self, ModelMaskCommand.self, SimulateCommand.self, SyntheticPairCommand.self,
                      HeaderCommand.self, ValidateCommand.self])

    /// Runs the command line; a `MapbookError` becomes one line on stderr and exit status 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as MapbookError {
            FileHandle.standardError.write(Data("mapbook: error: \(error)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// The version recorded in outputs and provenance.
enum MapbookVersion {
    static let string = "0.1.0"
}

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
                      PostprocessCommand.self, SharpenCommand.self, FSCCommand.self, LocalResolutionCommand.self, LocalSharpenCommand.self, HalfMapSharpenCommand.self,
                      DensityModifyCommand.self, SymmetryCommand.self, BoxCommand.self, UnboxCommand.self, CombineFocusedCommand.self,
                      ModelMapCommand.self, ModelMaskCommand.self, ModelFitCommand.self, SimulateCommand.self, SyntheticPairCommand.self,
                      HeaderCommand.self, ValidateCommand.self, ParametersCommand.self, FFTFloorCommand.self])

    /// Runs the command line; a `MapbookError` becomes one line on stderr and exit status 1.
    static func main() {
        // Progress of the first second is held back: an error on bad input is then the only
        // line on stderr, and long work still shows every step.
        ProgressReporter.holdsEarlyLines = true
        FFTCountsAtExit.install()
        do {
            var command = try parseAsRoot(try argumentsWithoutParameters())
            try command.run()
            ProgressReporter.releaseAll()
        } catch let error as MapbookError {
            ProgressReporter.dropAll()
            FileHandle.standardError.write(Data("mapbook: error: \(error)\n".utf8))
            Foundation.exit(1)
        } catch let problem as ParameterProblem {
            // The library names the parameter by its key; on the command line it is a flag.
            ProgressReporter.dropAll()
            FileHandle.standardError.write(Data("mapbook: error: \(CommandParameters.phrased(problem))\n".utf8))
            Foundation.exit(1)
        } catch {
            // An exit code (a report written with failed cells) is a result: keep the progress.
            if error is ExitCode { ProgressReporter.releaseAll() } else { ProgressReporter.dropAll() }
            let code = exitCode(for: error)
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }   // --help, --version
            // A usage error (an unknown option, a bad value, a failed check) is one line too;
            // the usage is a --help away.
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("mapbook: error: \(message) (see --help)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

extension Mapbook {
    /// The arguments ArgumentParser reads: those of the subcommand's declared parameters are
    /// taken out first (into `CommandParameters.given`), since they are made from declarations
    /// at run time rather than from property wrappers of the command.
    static func argumentsWithoutParameters() throws -> [String] {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first,
              let command = configuration.subcommands.first(where: { $0.configuration.commandName == name }) as? any ParameterCommand.Type
        else { return arguments }
        let (rest, given) = try CommandParameters.extract(Array(arguments.dropFirst()), specs: command.parameterSpecs)
        CommandParameters.given = given
        return [name] + rest
    }
}

/// The version recorded in outputs and provenance.
enum MapbookVersion {
    static let string = "0.1.0"

    /// This executable's absolute path (Linux's /proc/self/exe), for report.ipynb's code.
    static var executablePath: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
    }
}

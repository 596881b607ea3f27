import ArgumentParser
import Foundation
import MapbookCore

/// A command that takes declared algorithm parameters, each as `--key-name value` (a switch as
/// `--key-name` / `--no-key-name`). The options, their help and their checks all come from the
/// declarations (`@Parameter`); the command declares only its files and compute options.
protocol ParameterCommand: ParsableCommand {
    /// The parameter sets the command takes.
    static var parameterSets: [any DeclaredParameters.Type] { get }
}

extension ParameterCommand {
    /// Every declaration the command takes.
    static var parameterSpecs: [ParameterSpec] { parameterSets.flatMap { $0.declarations } }
}

/// The command line's side of declared parameters: flag names, taking the values out of the
/// arguments before ArgumentParser reads the rest, building the parameter sets, and phrasing
/// the library's `ParameterProblem`s with flags.
enum CommandParameters {
    /// The flag for a key: `randomize_at_fsc` is `--randomize-at-fsc`.
    static func flag(_ key: String) -> String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// The values given for declared parameters, by key. Set once, by `Mapbook.main`, before
    /// the command is parsed.
    nonisolated(unsafe) static var given: [String: String] = [:]

    /// Splits `arguments` into the declared parameters' values (by key) and the rest, which
    /// ArgumentParser reads. Everything after `--` is left alone.
    static func extract(_ arguments: [String], specs: [ParameterSpec]) throws -> (rest: [String], given: [String: String]) {
        var byFlag: [String: ParameterSpec] = [:]
        for s in specs { byFlag[flag(s.key)] = s }
        var rest: [String] = [], given: [String: String] = [:]
        var i = 0
        func record(_ spec: ParameterSpec, _ text: String, as written: String) throws {
            guard given[spec.key] == nil else { throw MapbookError("\(written) is given twice") }
            given[spec.key] = text
        }
        while i < arguments.count {
            let arg = arguments[i]
            if arg == "--" { rest += arguments[i...]; break }
            guard arg.hasPrefix("--") else { rest.append(arg); i += 1; continue }
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0], inline = parts.count > 1 ? parts[1] : nil
            if let spec = byFlag[name] {
                if spec.isSwitch {
                    try record(spec, inline ?? "true", as: name)
                } else if let inline {
                    try record(spec, inline, as: name)
                } else {
                    guard i + 1 < arguments.count else { throw MapbookError("\(name) needs \(spec.valueDescription)") }
                    try record(spec, arguments[i + 1], as: name)
                    i += 1
                }
            } else if name.hasPrefix("--no-"), let spec = byFlag["--" + name.dropFirst(5)], spec.isSwitch, inline == nil {
                try record(spec, "false", as: name)
            } else {
                rest.append(arg)
            }
            i += 1
        }
        return (rest, given)
    }

    /// The parameter set from the values given on the command line, checked; a bad value is
    /// an error naming its flag.
    static func value<P: DeclaredParameters>(_ type: P.Type) throws -> P {
        let keys = Set(P.declarations.map(\.key))
        do {
            return try P(parameterTexts: given.filter { keys.contains($0.key) })
        } catch let problem as ParameterProblem {
            throw phrased(problem)
        }
    }

    /// A library problem with a parameter, phrased with the parameter's flag.
    static func phrased(_ problem: ParameterProblem) -> MapbookError {
        MapbookError(problem.phrased(naming: flag(problem.key)))
    }

    /// The help section listing the parameters of `sets`, for a command's discussion: one
    /// paragraph per parameter (ArgumentParser wraps the discussion, so no hanging indents).
    static func helpSection(_ sets: [any DeclaredParameters.Type]) -> String {
        let lines = sets.flatMap { $0.declarations }.map { s -> String in
            let name = s.isSwitch ? "\(flag(s.key)) | --no-\(flag(s.key).dropFirst(2))" : "\(flag(s.key)) <\(s.valueDescription)>"
            return "\(name): \(s.help) (\(ParameterTable.facts(s)))."
        }
        return "PARAMETERS (the same keys in plans; `mapbook parameters` lists sources):\n" + lines.joined(separator: "\n")
    }
}

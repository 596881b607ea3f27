import ArgumentParser
import Foundation
import MapbookCore
import Notebook
import NotebookCells

/// `mapbook parameters`: every declared parameter of every command and cell kind, with its
/// flag, plan key, default, range, unit, meaning and source, made from the declarations.
struct ParametersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parameters",
        abstract: "List the parameters of each command and cell kind (flag, plan key, default, range, unit, meaning, source).",
        discussion: """
        Every parameter is declared once in the library; the command-line options, the plan \
        keys, `mapbook init`'s starter plan, these tables and the range checks are all made \
        from that declaration. A key `name_part` is the flag `--name-part`.
        """)

    @Argument(help: "A command or cell kind (default: all).") var name: String?
    @Flag(name: .long, help: "Write Markdown tables (as in docs/parameters.md).") var markdown = false

    /// The commands that take declared parameters, in `mapbook --help` order.
    static var commands: [any ParameterCommand.Type] {
        Mapbook.configuration.subcommands.compactMap { $0 as? any ParameterCommand.Type }
    }

    func validate() throws {
        guard let name else { return }
        let known = Self.commands.map { $0.configuration.commandName ?? "" } + CellKinds.names
        if !known.contains(name) { throw ValidationError("'\(name)' is no command or cell kind with parameters; known: \(known.joined(separator: ", "))") }
    }

    func run() throws {
        print(Self.text(only: name, markdown: markdown), terminator: "")
    }

    /// The listing: one section per command, then one per cell kind.
    static func text(only name: String? = nil, markdown: Bool) -> String {
        var sections: [String] = []
        for command in commands {
            let commandName = command.configuration.commandName ?? ""
            guard name == nil || name == commandName else { continue }
            let specs = command.parameterSpecs
            guard !specs.isEmpty else { continue }
            sections.append(section("mapbook \(commandName)", specs, markdown: markdown) { CommandParameters.flag($0.key) })
        }
        for kind in CellKinds.all {
            guard name == nil || name == kind.kind else { continue }
            let specs = kind.options.compactMap(\.declaration)
            guard !specs.isEmpty else { continue }
            sections.append(section("kind: \(kind.kind)", specs, markdown: markdown) { $0.key })
        }
        let body = sections.joined(separator: "\n")
        return markdown && name == nil ? markdownHeader + body : body
    }

    /// The heading of the whole listing in Markdown (docs/parameters.md is exactly that listing).
    static let markdownHeader = """
        # Parameters

        Every parameter of every command and cell kind, as declared in the library (`@Parameter`).
        Made by `mapbook parameters --markdown`; a test checks that this file matches it. A plan key
        `name_part` is the command-line flag `--name-part`.


        """

    static func section(_ title: String, _ specs: [ParameterSpec], markdown: Bool, name: (ParameterSpec) -> String) -> String {
        markdown ? "### \(title)\n\n" + ParameterTable.markdown(specs, name: name)
                 : "\(title)\n" + ParameterTable.plain(specs, name: name) + "\n"
    }
}

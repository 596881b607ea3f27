import Foundation
import Figures
import MapbookCore
import MapModel

/// One kind of analysis cell (`fsc`, `postprocess`, `montage`, …): its typed parameters, how
/// it runs, and how its result appears in the report.
///
/// A conforming type *is* the parameter set of its kind: it is decoded from the cell's keys in
/// the plan (with documented defaults for those left out) and encoded canonically for the
/// cache key and the resolved plan. The engine knows no kind: kinds live in NotebookCells, one
/// file each, listed in `CellKinds.all`, and the parser is handed that list.
public protocol NotebookCell: Codable, Sendable {
    /// What `run` produces that the report needs; cached as JSON between runs.
    associatedtype Result: Codable & Sendable
    /// The algorithm's declared parameters (`@Parameter`): their keys are the cell's keys
    /// beside its inputs, decoded, checked and documented from the declarations.
    associatedtype Parameters: DeclaredParameters = NoParameters

    /// The name written as `kind:` in the plan.
    static var kind: String { get }
    /// One line saying what the cell does.
    static var summary: String { get }
    /// The heading a cell of this kind gets when the plan gives no title.
    static var defaultTitle: String { get }
    /// Bump when `run` changes what it computes or the shape of `Result`: cached results of
    /// the kind made before are then recomputed (part of every cache key).
    static var revision: Int { get }
    /// The keys of the cell's inputs and report settings, with defaults and meanings (in plan
    /// order); the parameters' keys follow them in `options`.
    static var inputOptions: [CellOption] { get }
    /// The values the cell makes for later cells and markdown.
    static var outputs: [CellOutputSpec] { get }
    /// The facility index's columns the kind fills (from its outputs or its settings).
    static var indexColumns: [IndexColumn] { get }
    /// What a batch task reserves for a cell of the kind (Slurm memory and time).
    static var batchCost: BatchCost { get }

    /// Fills in defaults that depend on the dataset (a mask option that means "the dataset's
    /// mask when there is one"). Called once, right after decoding.
    mutating func resolveDefaults(for dataset: PlanDataset)

    /// The references the cell reads, each with the type it must have.
    var inputs: [CellInput] { get }

    /// The parameters, as the plan gives them (defaults elsewhere).
    var parameters: Parameters { get set }

    /// Map-sized float32 buffers the cell holds at its peak (its algorithm's own count), for
    /// the memory estimate made before it runs. Every kind declares its own (there is no
    /// default): a kind without an estimate could exhaust the machine unannounced.
    var peakMapCopies: Double { get }

    /// Checks that go beyond types (a range, a non-empty list); throws a `PlanProblem`.
    func validate() throws

    /// Does the work.
    func run(_ context: CellContext) throws -> CellProduct<Result>

    /// Turns a result (fresh or cached) into figures, tables and numbers for the report.
    func present(_ result: Result, _ context: PresentationContext) -> CellPresentation
}

extension NotebookCell {
    /// Every key the cell takes: its inputs', then its parameters' (those a plan can give).
    public static var options: [CellOption] {
        inputOptions + Parameters.declarations.filter { $0.scope == .everywhere }.map(CellOption.init(declaration:))
    }

    /// The declarations of the parameters a plan can give.
    public static var planParameters: [ParameterSpec] {
        Parameters.declarations.filter { $0.scope == .everywhere }
    }

    /// The parameters' keys a plan can give.
    public static var parameterKeys: [String] { planParameters.map(\.key) }

    /// Revision 1.
    public static var revision: Int { 1 }
    /// No columns of the facility index by default.
    public static var indexColumns: [IndexColumn] { [] }
    /// 30 s per million voxels and no extra maps by default.
    public static var batchCost: BatchCost { BatchCost() }
    /// The kind's name, as words.
    public static var defaultTitle: String { kind.replacingOccurrences(of: "_", with: " ").capitalized }
    /// Nothing to resolve by default.
    public mutating func resolveDefaults(for dataset: PlanDataset) {}
    /// Nothing beyond types to check by default.
    public func validate() throws {}
}

/// One key a cell takes, documented for `mapbook init` and error messages.
public struct CellOption: Sendable {
    /// The key as written in the plan.
    public var key: String
    /// The default as YAML text; nil when the key is required.
    public var defaultValue: String?
    /// What the value means, with its unit and the allowed values.
    public var help: String
    /// Whether the starter plan writes it out (true) or leaves it commented (false, for keys
    /// whose absence means something, such as "no low-pass").
    public var shownInStarterPlan: Bool

    /// The declaration, for a parameter's key.
    public var declaration: ParameterSpec?

    /// An option.
    public init(_ key: String, default defaultValue: String?, _ help: String, shownInStarterPlan: Bool = true) {
        self.key = key; self.defaultValue = defaultValue; self.help = help; self.shownInStarterPlan = shownInStarterPlan
    }

    /// The option of a declared parameter: its default, its help with the unit, and whether
    /// the starter plan writes it.
    public init(declaration d: ParameterSpec) {
        let unit = d.unit.map { ", \($0)" } ?? ""
        // A list is written as YAML writes lists.
        let written = d.isList ? "[\(d.defaultText)]" : d.defaultText
        // A default described in words (no value, such as "from the half maps") cannot be
        // written out: the starter plan leaves such a key commented.
        self.init(d.key, default: d.defaultMeaning ?? written, d.help + unit, shownInStarterPlan: d.inStarterPlan && d.defaultMeaning == nil)
        declaration = d
    }
}

extension NotebookCell where Parameters == NoParameters {
    /// No parameters.
    public var parameters: NoParameters { get { NoParameters() } set {} }
}

/// A value a cell makes, named for references as `<cell id>.<name>`.
public struct CellOutputSpec: Sendable {
    /// The output's name.
    public var name: String
    /// What it is.
    public var type: PlanValueType
    /// What it holds.
    public var help: String

    /// An output.
    public init(_ name: String, _ type: PlanValueType, _ help: String) { self.name = name; self.type = type; self.help = help }
}

/// A reference a cell reads: the option it is written under and the type it must have.
public struct CellInput: Sendable {
    /// The option key.
    public var key: String
    /// The reference.
    public var reference: PlanReference
    /// The type required.
    public var type: PlanValueType

    /// An input.
    public init(_ key: String, _ reference: PlanReference, _ type: PlanValueType) { self.key = key; self.reference = reference; self.type = type }
}

/// A number a cell makes, with its unit and how to print it.
public struct Quantity: Codable, Sendable, Equatable {
    /// The value (NaN when undefined).
    public var value: Double
    /// Unit ("Å", "Å²", "" for none).
    public var unit: String
    /// Decimals to print.
    public var digits: Int
    /// Text to print instead of the value ("≥ 3.00 Å (Nyquist)"), when the plain value would mislead.
    public var text: String?
    /// Set when the value is a limit rather than a measurement (a resolution that Nyquist
    /// caps): pages that compare datasets print and sort it as one.
    public var limit: QuantityLimit?

    /// A quantity.
    public init(_ value: Double, unit: String, digits: Int = 2, text: String? = nil, limit: QuantityLimit? = nil) {
        self.value = value; self.unit = unit; self.digits = digits; self.text = text; self.limit = limit
    }

    /// The value with its unit, as reports print it.
    public var formatted: String {
        if let text { return text }
        guard value.isFinite else { return "n/a" }
        let number = String(format: "%.\(digits)f", value).replacingOccurrences(of: "-", with: "−")
        return unit.isEmpty ? number : "\(number) \(unit)"
    }
}

/// What a cell's `run` returns.
public struct CellProduct<Result: Codable & Sendable>: Sendable {
    /// The result for the report.
    public var result: Result
    /// Numbers for later cells and markdown, by output name.
    public var numbers: [String: Quantity]
    /// Maps for later cells, by output name.
    public var maps: [String: Volume]

    /// A product.
    public init(result: Result, numbers: [String: Quantity] = [:], maps: [String: Volume] = [:]) {
        self.result = result; self.numbers = numbers; self.maps = maps
    }
}

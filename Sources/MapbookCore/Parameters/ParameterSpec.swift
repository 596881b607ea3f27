import Foundation

/// Where a parameter can be given.
public enum ParameterScope: Sendable, Equatable {
    /// On the command line and in plans.
    case everywhere
    /// Only on the command line: in a plan the value comes from the dataset (its symmetry, say).
    case commandLine
}

/// Everything said about one parameter, declared once beside the property that holds it
/// (`@Parameter`): the CLI option, the plan key, the starter plan, help tables and validation
/// are all made from it.
public struct ParameterSpec: Sendable {
    /// The key, in plans and in the library's errors (`randomize_at_fsc`).
    public var key: String
    /// What the parameter does, one line.
    public var help: String
    /// The unit of its number ("Å", "Å²", "voxels"); nil for none.
    public var unit: String?
    /// The numbers it allows.
    public var range: ParameterRange
    /// Where it comes from: the paper or program that defines it, with that program's name for it.
    public var source: String?
    /// The default as words, when the written value would not say what it means ("chosen from the map").
    public var defaultMeaning: String?
    /// Where it can be given.
    public var scope: ParameterScope
    /// Whether `mapbook init`'s starter plan writes the key out (false leaves it commented,
    /// for keys whose absence means something, such as "no low-pass").
    public var inStarterPlan: Bool
    /// What a value looks like ("a number").
    public var valueDescription: String
    /// Whether the value is an on/off switch.
    public var isSwitch: Bool
    /// Whether the value is a list.
    public var isList: Bool
    /// The default as written (filled from the declared default value).
    public var defaultText: String = ""

    /// The default for tables and help: its meaning when declared, else the written value.
    public var defaultSummary: String { defaultMeaning ?? defaultText }
}

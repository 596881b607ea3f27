import Foundation
import MapbookCore
import MapModel

/// Where a running cell gets its inputs: the values its references name, loaded on demand.
public final class CellContext: @unchecked Sendable {
    /// The running cell's id.
    public let cellID: String
    /// The plan's dataset block.
    public let dataset: PlanDataset
    /// Progress for long steps.
    public let progress: ProgressReporter
    private let store: ValueStore

    init(cellID: String, dataset: PlanDataset, progress: ProgressReporter, store: ValueStore) {
        self.cellID = cellID; self.dataset = dataset; self.progress = progress; self.store = store
    }

    /// The map `reference` names.
    public func map(_ reference: PlanReference) throws -> Volume { try store.map(reference) }

    /// The half-map pair `reference` names, on one grid (the second takes the first's
    /// placement when they differ by less than 1 % of a voxel, as RELION's do).
    public func halfMaps(_ reference: PlanReference) throws -> (Volume, Volume) { try store.halfMaps(reference) }

    /// The number `reference` names.
    public func number(_ reference: PlanReference) throws -> Quantity { try store.number(reference) }

    /// A human name for `reference`.
    public func label(_ reference: PlanReference) -> String { store.label(reference) }

    /// What the referenced output is, from its kind's documentation ("resolution at FSC 0.5, Å").
    public func describe(_ reference: PlanReference) -> String { store.describe(reference) }

    /// The file behind a dataset reference, for error messages.
    public func path(_ reference: PlanReference) -> String? { store.path(reference) }

    /// How errors name the two half maps of `reference`: the dataset's files when it is the
    /// dataset's pair, else the reference with "(1)" and "(2)".
    public func halfMapNames(_ reference: PlanReference) -> (String, String) {
        if reference.isDataset, reference.output == "half_maps",
           let a = path(PlanReference("dataset", "half_map_1")), let b = path(PlanReference("dataset", "half_map_2")) {
            return (a, b)
        }
        return ("\(reference) (1)", "\(reference) (2)")
    }

    /// Point-group order for the half-bit threshold.
    public var symmetryOrder: Int { dataset.symmetryOrder }
}

/// The runner's side of `CellContext`.
protocol ValueStore: AnyObject {
    func map(_ reference: PlanReference) throws -> Volume
    func halfMaps(_ reference: PlanReference) throws -> (Volume, Volume)
    func number(_ reference: PlanReference) throws -> Quantity
    func label(_ reference: PlanReference) -> String
    func describe(_ reference: PlanReference) -> String
    func path(_ reference: PlanReference) -> String?
}

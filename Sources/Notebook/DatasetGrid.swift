import MapModel

/// The box and voxel size of a dataset, as a facility compares datasets: from the header of
/// the first map the dataset names (half map, full map, then mask), with the plan's voxel size
/// where it overrides the headers.
public struct DatasetGrid: Codable, Sendable, Equatable {
    /// Voxels along x, y and z.
    public var box: [Int]
    /// Voxel (pixel) size in Å; the largest of the three axes when they differ.
    public var voxelSize: Double

    /// A grid.
    public init(box: [Int], voxelSize: Double) { self.box = box; self.voxelSize = voxelSize }

    /// The grid of `plan`'s dataset; nil when none of its maps has a readable header.
    init?(_ plan: Plan) {
        let maps = plan.dataset.files.filter { PlanDataset.mapFields.contains($0.field) }
        guard let grid = maps.lazy.compactMap({ try? MRCFile.checkedGrid(path: plan.resolvedPath($0.path)) }).first else { return nil }
        box = [grid.size.x, grid.size.y, grid.size.z]
        voxelSize = plan.dataset.voxelSize ?? grid.voxelSize.max()
    }

    /// "256³" for a cube, else "256 × 256 × 128".
    public var boxText: String {
        Set(box).count == 1 ? "\(box[0])³" : box.map(String.init).joined(separator: " × ")
    }
}

import Foundation

/// Where an MRC file's voxels sit: the `VoxelGrid` a header describes, in x, y, z order.
///
/// The rules (MRC2014): NX/NY/NZ and NXSTART/NYSTART/NZSTART are per storage axis (columns,
/// rows, sections) and are permuted to x, y, z through MAPC/MAPR/MAPS; MX/MY/MZ, CELLA and
/// ORIGIN are already x, y, z. The voxel size along a physical axis is CELLA/M along that
/// axis, never CELLA over the column count, which differs whenever the axes are permuted or
/// the map covers only part of (or more than) a crystallographic cell.
struct MRCGeometry {
    /// The grid, valid only when `issues` has no error.
    var grid: VoxelGrid
    /// Errors (bad cell lengths or angles, a voxel size outside
    /// `VoxelGrid.plausibleVoxelSizes`, non-finite origin) and notes (fallbacks) found on the way.
    var issues: [MRCIssue]

    /// Works out the grid for `header`; dimensions, mode and axes are assumed checked already
    /// (an invalid axis order is taken as x, y, z so the remaining checks can still run).
    init(_ header: MRCHeader) {
        let axes = header.axisOrder ?? .xyz
        let size = axes.toXYZ(header.dimensions)
        let nstart = axes.toXYZ(header.start)
        var issues: [MRCIssue] = []
        let names = ["x", "y", "z"]

        // Sampling: some writers leave MX/MY/MZ at zero; the box then is the cell.
        var sampling = header.sampling
        for a in 0..<3 where sampling[a] <= 0 {
            issues.append(.note("sampling M\(names[a].uppercased()) = \(sampling[a]); voxel size along \(names[a]) taken as CELLA \(names[a]) / \(size[a]) voxels"))
            sampling[a] = max(1, size[a])
        }

        var voxel = SIMD3<Double>(repeating: .nan)
        var flat: [Int] = [] // single-voxel axes with a zero cell (2-D images)
        for a in 0..<3 {
            let cell = header.cellA[a]
            if cell == 0 && size[a] == 1 {
                flat.append(a)
            } else if !cell.isFinite || cell <= 0 {
                issues.append(.error("invalid cell: CELLA \(names[a]) = \(cell) Å (must be a positive, finite length; the voxel size is CELLA / M\(names[a].uppercased()))"))
            } else {
                voxel[a] = Double(cell) / Double(sampling[a])
            }
        }
        // A 2-D image (NZ = 1) often has cell z = 0 (RELION, float16.mrc): it has no thickness to
        // measure, so the in-plane voxel size stands in and the image still loads.
        if !flat.isEmpty {
            if let donor = (0..<3).first(where: { !flat.contains($0) && voxel[$0].isFinite }) {
                for a in flat {
                    voxel[a] = voxel[donor]
                    issues.append(.note("CELLA \(names[a]) is 0 on a single-voxel axis (a 2-D image); voxel size along \(names[a]) taken equal to \(names[donor]) (\(voxel[donor]) Å)"))
                }
            } else {
                issues.append(.error("invalid cell: CELLA = (\(header.cellA.x), \(header.cellA.y), \(header.cellA.z)) Å gives no voxel size"))
            }
        }

        for a in 0..<3 where voxel[a].isFinite {
            if let why = VoxelGrid.voxelSizeProblem(voxel[a]) {
                issues.append(.error("voxel size along \(names[a]) is \(String(format: "%g", voxel[a])) Å (CELLA \(names[a]) / M\(names[a].uppercased()) = \(header.cellA[a]) Å / \(sampling[a])), \(why)"))
            }
        }
        // Angles at 0° or 180° (or not numbers) describe a flat cell that holds no volume.
        let angleNames = ["α", "β", "γ"]
        for a in 0..<3 where !(header.cellB[a].isFinite && header.cellB[a] > 0 && header.cellB[a] < 180) {
            issues.append(.error("invalid cell: CELLB \(angleNames[a]) = \(header.cellB[a])° (cell angles must lie strictly between 0° and 180°)"))
        }

        if !(header.origin.x.isFinite && header.origin.y.isFinite && header.origin.z.isFinite) {
            issues.append(.error("ORIGIN (\(header.origin.x), \(header.origin.y), \(header.origin.z)) is not finite"))
        }
        let origin = SIMD3<Double>(Double(header.origin.x), Double(header.origin.y), Double(header.origin.z))
        grid = VoxelGrid(size: size, voxelSize: voxel, nstart: nstart, origin: origin)
        self.issues = issues
    }
}

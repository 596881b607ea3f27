import Foundation
import MapbookCore

extension MRCFile {
    /// Writes `volume` to `path` as a little-endian float32 MRC2014 map (see
    /// `MRCHeader.init(describing:labels:)` for the header), atomically: the file appears
    /// complete or not at all.
    ///
    /// `inputs` are the files the caller read; writing over one of them is refused, since a
    /// failure half-way or a mistyped output name would otherwise destroy the input.
    /// Volumes that are empty, have a non-positive or non-finite voxel size, or contain NaN or
    /// infinite voxels are refused too: mapbook (like most MRC readers) could not read them back.
    public static func write(_ volume: Volume, to path: String, labels: [String] = [], inputs: [String] = []) throws {
        try checkOutput(path, isNotAmong: inputs)
        let g = volume.grid
        guard g.count > 0 else {
            throw MapbookError("cannot write an empty volume (\(g.size.x)×\(g.size.y)×\(g.size.z) voxels)", path: path)
        }
        guard (0..<3).allSatisfy({ g.voxelSize[$0].isFinite && g.voxelSize[$0] > 0 }) else {
            throw MapbookError("cannot write a map with voxel size \(g.voxelSize.x)×\(g.voxelSize.y)×\(g.voxelSize.z) Å (must be positive and finite)", path: path)
        }
        // One statistics pass serves the header and, through its sums, the finiteness check.
        let stats = volume.statistics
        if !(stats.mean.isFinite && stats.rms.isFinite), let problem = nonFiniteProblem(volume.voxels, grid: g) {
            throw MapbookError("cannot write: \(problem)", path: path)
        }
        let header = MRCHeader(describing: volume, statistics: stats, labels: labels).encoded(byteOrder: .little)
        try AtomicFile.write(to: path) { handle in
            try handle.write(contentsOf: Data(header))
            try volume.voxels.withUnsafeBufferPointer { try writeLittleEndian($0, to: handle) }
        }
    }

    /// Floats per write call: 64 MiB, large enough that system-call overhead vanishes and
    /// small enough that the big-endian fallback's scratch buffer stays modest.
    private static let chunkCount = 1 << 24

    /// Writes `values` as little-endian float32 in large chunks.
    private static func writeLittleEndian(_ values: UnsafeBufferPointer<Float>, to handle: FileHandle) throws {
        guard let base = values.baseAddress else { return }
        var start = 0
        while start < values.count {
            let n = min(chunkCount, values.count - start)
            if MRCByteOrder.host == .little {
                // The buffer already has the file's layout: hand it over without copying.
                let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base + start),
                                 count: n * 4, deallocator: .none)
                try handle.write(contentsOf: bytes)
            } else {
                var bytes = Data(count: n * 4)
                bytes.withUnsafeMutableBytes { raw in
                    for i in 0..<n {
                        raw.storeBytes(of: base[start + i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                    }
                }
                try handle.write(contentsOf: bytes)
            }
            start += n
        }
    }
}

import Foundation
import FourierEngine
import MapbookCore
import MapModel

extension LocalFSC {
    /// The windows of one local FSC run: their size and shape, and the lattice of their centres.
    struct WindowLayout {
        /// Largest voxel edge (Å).
        let voxel: Double
        /// Edge of the cube a window is cut into (voxels).
        let box: Int
        /// Distance between window centres (voxels).
        let step: Int
        /// Window centres per axis.
        let lattice: SIMD3<Int>
        /// The grid of one window's box.
        let windowGrid: VoxelGrid
        /// The soft window, over `windowGrid`.
        let window: [Float]

        /// The resolution (Å) of a window that resolves nothing finer than itself.
        var boxResolution: Double { Double(box) * voxel }

        /// The layout for `parameters` on `grid` (a window at least 12 voxels across).
        init(grid: VoxelGrid, parameters p: LocalFSCParameters) {
            voxel = grid.voxelSize.max()
            let diameterVoxels = max(12.0, p.windowDiameter / voxel)
            box = min(SubBox.fftFriendlyLength(atLeast: Int(diameterVoxels.rounded(.up)) + 4), grid.size.min())
            step = max(1, p.stepVoxels ?? Int((diameterVoxels / 4).rounded()))
            let n = grid.size
            lattice = SIMD3((n.x + step - 1) / step, (n.y + step - 1) / step, (n.z + step - 1) / step)
            windowGrid = VoxelGrid(size: SIMD3(repeating: box), voxelSize: grid.voxelSize)
            window = Self.hannWindow(box: box, radius: diameterVoxels / 2)
        }

        /// A Hann window over the whole radius: 0.5 + 0.5·cos(π r / R). A window that cuts
        /// through density spreads the shared low-resolution signal into high frequencies, where
        /// it would inflate the FSC of the two halves; the Hann window's spectrum falls fast
        /// enough that this leakage stays below the noise.
        static func hannWindow(box: Int, radius: Double) -> [Float] {
            (0..<(box * box * box)).map { i in
                let d = SIMD3(Double(i % box), Double((i / box) % box), Double(i / (box * box))) - SIMD3(repeating: Double(box / 2))
                let r = (d * d).sum().squareRoot()
                return r >= radius ? 0 : Float(0.5 + 0.5 * cos(Double.pi * r / radius))
            }
        }

        /// The lattice points (voxel indices) of a grid of `size` that get a window: those
        /// with any voxel of their cell in the mask.
        func centres(_ size: SIMD3<Int>, inMask: (Int, Int, Int) -> Bool) -> [SIMD3<Int>] {
            let n = size
            var centres: [SIMD3<Int>] = []
            for k in 0..<lattice.z { for j in 0..<lattice.y { for i in 0..<lattice.x {
                let c = SIMD3(i, j, k) &* step
                var hit = false
                outer: for z in max(0, c.z - step / 2)...min(n.z - 1, c.z + step / 2) {
                    for y in max(0, c.y - step / 2)...min(n.y - 1, c.y + step / 2) {
                        for x in max(0, c.x - step / 2)...min(n.x - 1, c.x + step / 2) where inMask(x, y, z) { hit = true; break outer }
                    }
                }
                if hit { centres.append(c) }
            } } }
            return centres
        }
    }

    /// The half maps with phases randomised beyond the shell where their global FSC falls
    /// below 0.8.
    ///
    /// Windows cut through density, and the shared signal they cut spreads into high
    /// frequencies of both halves alike. As RELION's LocRes does, each window's FSC is
    /// corrected with that of these halves' windows (Chen et al. 2013).
    struct PhaseRandomisedHalves {
        let half1: Volume
        let half2: Volume
        /// The spatial frequency (1/Å) beyond which the phases are random.
        let randomFrequency: Double

        /// The randomised halves of `half1` and `half2`; throws, naming the map, when their
        /// global FSC is undefined at the lowest resolution.
        init(_ half1: Volume, _ half2: Volume, names: (String, String)) throws {
            let fullShells = FourierShells(grid: half1.grid)
            let f1 = FFT.forward(half1), f2 = FFT.forward(half2)
            let global = fullShells.fsc(f1, f2)
            try FSCInput.requireDefined(global, f1, f2, names: names, shells: fullShells)
            // An undefined shell counts as below 0.8: beyond it the halves share nothing.
            let randomShell = global.firstShell(below: 0.8) ?? global.shellCount - 1
            randomFrequency = fullShells.frequency(randomShell)
            var r1 = f1, r2 = f2
            fullShells.randomizePhases(&r1, beyondShell: randomShell, seed: 0)
            fullShells.randomizePhases(&r2, beyondShell: randomShell, seed: 1)
            self.half1 = FFT.backward(consume r1)
            self.half2 = FFT.backward(consume r2)
        }
    }
}

import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
@testable import ModelMaps

/// A model of atoms of `element` at `positions`, all with B-factor `b`.
func atoms(_ positions: [SIMD3<Double>], element: ChemicalElement = .carbon, b: Double = 20, occupancy: Double = 1) -> AtomicModel {
    AtomicModel(atoms: positions.enumerated().map { i, p in
        Atom(name: element.symbol.uppercased(), element: element, position: p, bFactor: b, occupancy: occupancy,
             residueName: "LIG", residueNumber: i + 1, chainID: "A", isHetero: true)
    })
}

@Suite("Model maps from electron scattering factors")
struct ModelMapTests {
    let grid = VoxelGrid(size: SIMD3(40, 36, 32), voxelSize: SIMD3(repeating: 0.5), nstart: SIMD3(-4, 2, 0), origin: SIMD3(10, -3, 5))

    var centre: SIMD3<Double> { grid.firstVoxelPosition + SIMD3(20.3, 17.6, 16.2) * grid.voxelSize }

    @Test("one atom: the integral is f(0)·occupancy, the peak sits at the atom, the shape is the formula")
    func singleAtom() throws {
        for (element, b, occ) in [(ChemicalElement.carbon, 20.0, 1.0), (.oxygen, 35, 0.5), (ChemicalElement(symbol: "Fe")!, 15, 1)] {
            let map = try ModelMap.density(of: atoms([centre], element: element, b: b, occupancy: occ), on: grid)
            let f = ElectronScattering.formFactor(element)
            let integral = map.voxels.array.reduce(0.0) { $0 + Double($1) } * 0.125
            #expect(abs(integral / (f.forwardScattering * occ) - 1) < 1e-3, "\(element): integral \(integral)")
            // Voxel (20, 18, 16) is the nearest to the atom; compare its value with the formula.
            let p = grid.firstVoxelPosition + SIMD3(20, 18, 16) * grid.voxelSize
            let r2 = ((p - centre) * (p - centre)).sum()
            var expected = 0.0
            for t in 0..<5 {
                let total = f.b[t] + b
                expected += occ * f.a[t] * pow(4 * .pi / total, 1.5) * exp(-4 * .pi * .pi * r2 / total)
            }
            #expect(abs(Double(map[20, 18, 16]) - expected) < 1e-5 * expected)
            let maxIndex = map.voxels.array.indices.max { map.voxels[$0] < map.voxels[$1] }!
            #expect(maxIndex == grid.index(20, 18, 16))
        }
    }

    @Test("the form-factor table: spot values and the expected order of scattering power")
    func table() {
        let c = ElectronScattering.formFactor(.carbon)
        #expect(c.a == [0.0893, 0.2563, 0.7570, 1.0487, 0.3575])
        #expect(c.b == [0.2465, 1.7100, 6.4094, 18.6113, 50.2523])
        let h = ElectronScattering.formFactor(.hydrogen)
        #expect(abs(h.forwardScattering - 0.5288) < 1e-4)
        // f(0) grows with Z across these (it is not monotonic over the whole table).
        let order = ["H", "C", "N", "S", "Fe", "Zn", "Pt", "U"].map { ElectronScattering.formFactor(ChemicalElement(symbol: $0)!).forwardScattering }
        #expect(order[0] < order[1] && order[3] > order[1] && order[4] > order[3] && order[7] > order[4])
        #expect(ElectronScattering.table.count == 98)
        #expect(ElectronScattering.table.allSatisfy { $0.a.count == 5 && $0.b.count == 5 && $0.b.allSatisfy { $0 > 0 } })
        // f(s) falls with s.
        #expect(c.value(atS: 0.5) < c.value(atS: 0.1) && c.value(atS: 0) == c.forwardScattering)
    }

    @Test("extra B blurs exactly as the Fourier filter exp(−B s²/4) does")
    func extraBMatchesFourierFilter() throws {
        let model = atoms([centre, centre + SIMD3(1.4, 0.3, -0.8), centre + SIMD3(-2, 1, 1.5)], b: 10)
        let sharp = try ModelMap.density(of: model, on: grid)
        let blurred = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: 50))
        let shells = FourierShells(grid: grid)
        var spectrum = FFT.forward(sharp)
        shells.apply(SpectralFilter(bFactor: 50), to: &spectrum)
        let filtered = FFT.backward(spectrum)
        #expect(Volume.correlation(blurred, filtered) > 0.9999)
        #expect(abs(blurred.statistics.max - filtered.statistics.max) < 1e-3 * blurred.statistics.max)
        // Negative extra B sharpens, down to the limit set by the narrowest Gaussian.
        let sharper = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: -5))
        #expect(sharper.statistics.max > sharp.statistics.max)
        #expect(throws: MapbookError.self) { try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: -10.3)) }
    }

    @Test("low-pass: nothing is left beyond the resolution, everything well inside it")
    func lowPass() throws {
        var rng = SeededGenerator(seed: 5)
        let positions = (0..<60).map { _ in centre + SIMD3(rng.nextUnit() - 0.5, rng.nextUnit() - 0.5, rng.nextUnit() - 0.5) * 10 }
        let model = atoms(positions, b: 5)
        let full = try ModelMap.density(of: model, on: grid)
        let low = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(resolution: 3))
        let shells = FourierShells(grid: grid)
        let ratio = zip(shells.meanPower(FFT.forward(low)), shells.meanPower(FFT.forward(full))).map { $1 > 0 ? $0 / $1 : 0 }
        let cut = shells.shell(atResolution: 3)
        for i in 1..<(cut - 2) { #expect(abs(ratio[i] - 1) < 1e-3, "shell \(i)") }
        for i in (cut + 2)..<shells.shellCount { #expect(ratio[i] < 1e-6, "shell \(i)") }
        // By the FSC's rule: beyond the cut-off only rounding residue, well inside real power.
        let power = shells.hasPower(FFT.forward(low))
        #expect(power[1..<(cut - 2)].allSatisfy { $0 } && power[(cut + 2)...].allSatisfy { !$0 })
    }

    @Test("refused parameters name their key, never a flag")
    func refusedParameters() throws {
        let model = atoms([centre])
        #expect { try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(resolution: -1)) } throws: { e in
            guard let p = e as? ParameterProblem else { return false }
            return p.key == "resolution" && p.value == "-1" && !p.description.contains("--")
        }
        var m = ModelMaskParameters()
        m.edge = -2
        #expect { try ModelMask.soft(model, grid: grid, parameters: m) } throws: { ($0 as? ParameterProblem)?.key == "edge" }
        m = try ModelMaskParameters(parameterTexts: ["radius": "2.5"])
        #expect(try ModelMask.soft(model, grid: grid, parameters: m) == ModelMask.soft(model, grid: grid, radius: 2.5, edge: 3))
        #expect(ModelMapParameters.declarations.map(\.key) == ["bfactor", "resolution"])
    }

    @Test("slabs: any split of the planes gives the same bytes; atoms outside the box are harmless")
    func slabsAndBounds() throws {
        var rng = SeededGenerator(seed: 9)
        var positions = (0..<200).map { _ in grid.firstVoxelPosition + SIMD3(rng.nextUnit(), rng.nextUnit(), rng.nextUnit()) * grid.boxLength }
        positions += [grid.firstVoxelPosition - SIMD3(repeating: 50), grid.firstVoxelPosition + grid.boxLength + 10]
        let model = atoms(positions, b: 30)
        let kernels = try AtomKernels(model, grid: grid, parameters: ModelMapParameters())
        func render(_ cuts: [Int]) -> [Float] {
            var out = [Float](repeating: 0, count: grid.count)
            out.withUnsafeMutableBufferPointer { buf in
                for (a, b) in zip(cuts, cuts.dropFirst()) { kernels.add(planes: a..<b, into: buf) }
            }
            return out
        }
        let whole = render([0, grid.size.z])
        #expect(render([0, 1, 7, 8, 20, grid.size.z]) == whole)
        #expect(render(Array(0...grid.size.z)) == whole)
        #expect(try ModelMap.density(of: model, on: grid).voxels.array == whole)
        // Only atoms near the box reach it: the cost is local.
        #expect(kernels.planeRanges.suffix(2).allSatisfy { $0 == nil })
        #expect(kernels.radii.allSatisfy { $0 > 2 && $0 < 6 })
    }

    @Test("model mask: within the radius of an atom, with a cosine edge; binary agrees with brute force")
    func modelMask() {
        let model = atoms([centre, centre + SIMD3(3, 0, 0)])
        let binary = ModelMask.binary(model, grid: grid, radius: 2)
        let n = grid.size
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let p = grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * grid.voxelSize
            let near = model.atoms.contains { a in ((a.position - p) * (a.position - p)).sum() <= 4 }
            #expect(binary[grid.index(x, y, z)] == near)
        } } }
        let soft = ModelMask.soft(model, grid: grid, radius: 2, edge: 2)
        let s = soft.statistics
        #expect(s.min == 0 && s.max == 1)
        // 1 within the radius, 0 beyond radius + edge (+ one voxel for the grid's steps), a soft
        // value in between.
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let p = grid.firstVoxelPosition + SIMD3(Double(x), Double(y), Double(z)) * grid.voxelSize
            let d = model.atoms.map { a in ((a.position - p) * (a.position - p)).sum().squareRoot() }.min()!
            let v = soft[x, y, z]
            if d <= 2 { #expect(v == 1) } else if d >= 4.5 { #expect(v == 0) } else { #expect(v >= 0 && v <= 1) }
        } } }
    }

    @Test("map–model FSC: a model map against itself is 1, against a blurred copy it falls where the blur says")
    func mapModelFSC() throws {
        var rng = SeededGenerator(seed: 3)
        let positions = (0..<300).map { _ in centre + SIMD3(rng.nextUnit() - 0.5, rng.nextUnit() - 0.5, rng.nextUnit() - 0.5) * 12 }
        let model = atoms(positions, b: 10)
        let map = try ModelMap.density(of: model, on: grid)
        let same = try MapModelFSC.compare(map: map, modelMap: map)
        #expect(same.fsc.fsc.dropFirst().allSatisfy { abs($0 - 1) < 1e-5 })
        #expect(same.resolutionAtHalf.status == .neverCrosses && abs(same.correlation - 1) < 1e-9)
        let low = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(resolution: 4))
        // A low-pass keeps every phase: the FSC is 1 until the filter's gain reaches 0 (4 Å plus
        // half the 2-shell edge), then there is nothing left to correlate: the low-passed map
        // holds only rounding residue there, whose correlation with anything depends on the
        // CPU's FFT code path (it reached 0.052 on one machine), so the FSC is undefined.
        let c = try MapModelFSC.compare(map: low, modelMap: map)
        let shells = FourierShells(grid: grid)
        for i in 1..<shells.shellCount {
            let s = shells.frequency(i)
            if s < 0.25 - 1.5 / shells.referenceLength { #expect(c.fsc.fsc[i] > 0.999, "shell \(i)") }
            if s > 0.25 + 1.5 / shells.referenceLength { #expect(!c.fsc.isDefined(i), "shell \(i): \(c.fsc.fsc[i])") }
        }
        // FSC 0.5 holds up to the last shell with power (0.508 at 3.33 Å): there the data end.
        #expect(c.resolutionAtHalf.status == .dataEnds, "\(c.resolutionAtHalf.summary)")
        #expect(c.resolutionAtHalf.interpolatedResolution < 4 && c.resolutionAtHalf.interpolatedResolution > 3.3, "\(c.resolutionAtHalf.summary)")
        let mask = ModelMask.soft(model, grid: grid, radius: 3, edge: 3)
        let masked = try MapModelFSC.compare(map: low, modelMap: map, mask: mask)
        #expect(masked.masked && !c.masked)
        #expect(masked.correlation > 0.5 && masked.correlation < 1)
    }

    @Test("map–model FSC of a constant map, or with an all-zero mask, is an error naming the input")
    func mapModelFSCUndefined() throws {
        var rng = SeededGenerator(seed: 4)
        let positions = (0..<50).map { _ in centre + SIMD3(rng.nextUnit() - 0.5, rng.nextUnit() - 0.5, rng.nextUnit() - 0.5) * 8 }
        let map = try ModelMap.density(of: atoms(positions, b: 10), on: grid)
        var constant = Volume(grid: grid)
        for i in 0..<constant.voxels.count { constant.voxels[i] = -1 }
        #expect { try MapModelFSC.compare(map: constant, modelMap: map, names: ("map.mrc", "the map of model.pdb", "mask.mrc")) } throws: { e in
            "\(e)" == "map.mrc: the map is constant (every voxel -1.0): its FSC is undefined"
        }
        #expect { try MapModelFSC.compare(map: map, modelMap: Volume(grid: grid)) } throws: { e in
            "\(e)" == "model map: the map is constant (every voxel 0.0): its FSC is undefined"
        }
        #expect { try MapModelFSC.compare(map: map, modelMap: map, mask: Volume(grid: grid), names: ("map.mrc", "model", "mask.mrc")) } throws: { e in
            "\(e)" == "mask.mrc: the mask is all zero: the masked FSC is undefined"
        }
        // A mask over a corner the density never reaches: the masked maps are all zero.
        var corner = Volume(grid: grid)
        corner[0, 0, 0] = 1
        var sparse = map
        sparse[0, 0, 0] = 0
        #expect { try MapModelFSC.compare(map: sparse, modelMap: sparse, mask: corner) } throws: { e in
            "\(e)".hasPrefix("mask: the masked maps have no power above rounding level")
        }
    }
}

import Foundation
import Testing
import MapbookCore
@testable import Symmetry

@Suite("Point groups")
struct PointGroupTests {
    /// Every group kind, with the order it must have.
    static let groups: [(String, Int)] = [("C1", 1), ("C2", 2), ("C7", 7), ("C14", 14), ("D2", 4), ("D5", 10), ("D14", 28),
                                          ("T", 12), ("O", 24), ("I", 60), ("I1", 60), ("I2", 60), ("I3", 60), ("I4", 60)]

    /// Whether `group` holds the rotation by `angle` about `axis`.
    static func holds(_ group: PointGroup, axis: SIMD3<Double>, angle: Double) -> Bool {
        let r = RotationMatrix(axis: axis, angle: angle)
        return group.operators.contains { $0.isClose(to: r, tolerance: 1e-9) }
    }

    @Test("orders, identity first, proper rotations, no duplicates")
    func orders() throws {
        for (symbol, order) in Self.groups {
            let g = try PointGroup(symbol)
            #expect(g.order == order, "\(symbol)")
            #expect(g.operators[0] == .identity, "\(symbol)")
            for r in g.operators {
                #expect(abs(r.determinant - 1) < 1e-12, "\(symbol) \(r)")
                #expect((r * r.transposed).isClose(to: .identity, tolerance: 1e-12), "\(symbol) \(r)")
            }
            for i in g.operators.indices { for j in g.operators.indices where i < j {
                #expect(!g.operators[i].isClose(to: g.operators[j], tolerance: 1e-3), "\(symbol): operators \(i) and \(j) repeat")
            } }
        }
    }

    @Test("every group is closed: each product of two operators is one of them")
    func closure() throws {
        for (symbol, _) in Self.groups {
            let g = try PointGroup(symbol)
            var worst = 0.0
            for a in g.operators { for b in g.operators {
                let p = a * b
                worst = max(worst, g.operators.map { $0.distance(to: p) }.min()!)
            } }
            #expect(worst < 1e-9, "\(symbol): a product lies \(worst) from the nearest operator")
        }
    }

    @Test("orientations are RELION's: Cn on z, Dn's 2-fold on x, T's 3-fold on z, O's 4-folds on x, y, z, the I settings")
    func orientations() throws {
        let x = SIMD3<Double>(1, 0, 0), y = SIMD3<Double>(0, 1, 0), z = SIMD3<Double>(0, 0, 1)
        #expect(Self.holds(try PointGroup("C7"), axis: z, angle: 2 * .pi / 7))
        #expect(Self.holds(try PointGroup("D5"), axis: z, angle: 2 * .pi / 5))
        #expect(Self.holds(try PointGroup("D5"), axis: x, angle: .pi))
        let t = try PointGroup("T")
        #expect(Self.holds(t, axis: z, angle: 2 * .pi / 3))
        #expect(Self.holds(t, axis: SIMD3(0, (2.0 / 3).squareRoot(), (1.0 / 3).squareRoot()), angle: .pi))
        #expect(!Self.holds(t, axis: x, angle: .pi)) // RELION's T deviates from Heymann et al.'s 2-folds on x, y, z
        for a in [x, y, z] { #expect(Self.holds(try PointGroup("O"), axis: a, angle: .pi / 2)) }
        #expect(Self.holds(try PointGroup("O"), axis: SIMD3(1, 1, 1), angle: 2 * .pi / 3))
        // I1, I2: 2-folds on x, y, z; the 5-fold nearest +z in the yz plane (I1) or the xz plane (I2).
        let phi = (1 + 5.0.squareRoot()) / 2
        for setting in [1, 2] {
            let g = PointGroup.icosahedral(setting: setting)
            for a in [x, y, z] { #expect(Self.holds(g, axis: a, angle: .pi), "I\(setting)") }
        }
        #expect(Self.holds(.icosahedral(setting: 1), axis: SIMD3(0, 1, phi), angle: 2 * .pi / 5))
        #expect(!Self.holds(.icosahedral(setting: 1), axis: SIMD3(1, 0, phi), angle: 2 * .pi / 5))
        #expect(Self.holds(.icosahedral(setting: 2), axis: SIMD3(1, 0, phi), angle: 2 * .pi / 5))
        // I3, I4: a 5-fold on z, the neighbouring 2-fold on the −x (I3) or +x (I4) side of the xz plane.
        for setting in [3, 4] { #expect(Self.holds(.icosahedral(setting: setting), axis: z, angle: 2 * .pi / 5), "I\(setting)") }
        #expect(Self.holds(.icosahedral(setting: 3), axis: SIMD3(-1, 0, phi), angle: .pi))
        #expect(Self.holds(.icosahedral(setting: 4), axis: SIMD3(1, 0, phi), angle: .pi))
        // RELION's 3-fold generators (to the precision it writes them) are in the groups too.
        let threeFolds: [SIMD3<Double>] = [SIMD3(0.9341723640, 0.3568220765, 0), SIMD3(0, 0.356822076, 0.934172364),
                                           SIMD3(-0.4911234778630044, 0.3568220764705179, 0.7946544753759428),
                                           SIMD3(0.4911234778630044, 0.3568220764705179, 0.7946544753759428)]
        for (k, a) in threeFolds.enumerated() {
            let r = RotationMatrix(axis: a, angle: 2 * .pi / 3)
            #expect(PointGroup.icosahedral(setting: k + 1).operators.contains { $0.isClose(to: r, tolerance: 1e-7) }, "I\(k + 1)")
        }
        // Plain I is RELION's I2.
        #expect(try PointGroup("I").operators == PointGroup("I2").operators)
        #expect(try PointGroup("I").symbol == "I")
    }

    @Test("symbols parse case-insensitively; anything else is a one-line error saying what is accepted")
    func parsing() throws {
        #expect(try PointGroup("c7").symbol == "C7")
        #expect(try PointGroup(" d5 ").symbol == "D5")
        #expect(try PointGroup("i3").family == .icosahedral(setting: 3))
        #expect(try PointGroup("o").family == .octahedral)
        #expect(try PointGroup("C1") == PointGroup.c1)
        for bad in ["X7", "", "C0", "D1", "C-3", "C+3", "I5", "I12", "TD", "C1000", "D 2", "Cx"] {
            do {
                _ = try PointGroup(bad)
                Issue.record("'\(bad)' was accepted")
            } catch let e as MapbookError {
                #expect(!e.description.contains("\n"))
                #expect(e.description.hasPrefix("unknown point group '\(bad)': use C<n>"), "\(e)")
            }
        }
        do { _ = try PointGroup("X7") } catch { print(error) }
    }
}

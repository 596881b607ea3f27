import Foundation
@testable import Figures

/// Fixed data for the resolution-by-direction figure: a spheroidal design, 3.5 Å in the xy
/// plane and 5.25 Å along z, at 256 Fibonacci directions.
extension FigureFixtures {
    static func directionalMap() -> DirectionalResolutionMapFigure {
        let turn = Double.pi * (3 - 5.0.squareRoot())
        let directions = (0..<256).map { i -> SIMD3<Double> in
            let z = 1 - (Double(i) + 0.5) / 256, r = (1 - z * z).squareRoot()
            return SIMD3(r * cos(Double(i) * turn), r * sin(Double(i) * turn), z)
        }
        return DirectionalResolutionMapFigure(title: "Resolution by direction", directions: directions,
                                              resolution: { v in (3.5 * 3.5 * (1 - v.z * v.z) + 5.25 * 5.25 * v.z * v.z).squareRoot() },
                                              pixels: 120, size: FigureSize(480, 360))
    }
}

import Testing

/// The projection behind the figure.
@Suite("Resolution-by-direction map")
struct DirectionalMapProjectionTests {
    @Test("Lambert projection: z at the centre, the xy plane on the rim, disk → direction → disk round-trips; outside the disk nothing")
    func projection() {
        #expect(DirectionalResolutionMapFigure.disk(SIMD3(0, 0, 1)).x == 0)
        let rim = DirectionalResolutionMapFigure.disk(SIMD3(0, 1, 0))
        #expect(abs(rim.y - 1) < 1e-12 && abs(rim.x) < 1e-12)
        for p in [Point(0.3, -0.2), Point(-0.7, 0.5), Point(0, 0.99)] {
            let v = DirectionalResolutionMapFigure.direction(disk: p)!
            let q = DirectionalResolutionMapFigure.disk(v)
            #expect(abs(q.x - p.x) < 1e-12 && abs(q.y - p.y) < 1e-12)
        }
        #expect(DirectionalResolutionMapFigure.direction(disk: Point(0.8, 0.8)) == nil)
    }

    @Test("the figure's colours span the design: the centre pixel is the worst resolution (5.25 Å), the rim the best (3.5 Å)")
    func extremes() {
        let f = FigureFixtures.directionalMap()
        let n = f.image.width
        #expect(abs(Double(f.image.values[(n / 2) * n + n / 2]) - 5.25) < 0.01)
        #expect(abs(Double(f.image.values[(n / 2) * n + 1]) - 3.5) < 0.05)
        #expect(f.image.values[0].isNaN)
        #expect(abs(f.lower - 3.5) < 0.05 && abs(f.upper - 5.25) < 0.01)
    }
}

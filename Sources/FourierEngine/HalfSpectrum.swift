import MapbookCore
import MapModel

/// One single-precision complex number, laid out exactly as FFTW's `fftwf_complex`.
public struct ComplexF: Equatable, Sendable, BitwiseCopyable {
    /// Real part.
    public var re: Float
    /// Imaginary part.
    public var im: Float

    /// `re + i·im`.
    @inline(__always) public init(_ re: Float, _ im: Float) { self.re = re; self.im = im }

    /// Zero.
    public static let zero = ComplexF(0, 0)

    /// |z|².
    @inline(__always) public var squaredMagnitude: Float { re * re + im * im }
    /// |z|.
    @inline(__always) public var magnitude: Float { squaredMagnitude.squareRoot() }
}

/// The Fourier transform of a real `Volume`, stored as FFTW's real-to-complex half space.
///
/// Coefficient (h, k, l) sits at `h + hCount·(k + ny·l)` with `h ∈ 0...nx/2` and `k`, `l`
/// the full (wrapped) ranges. The transform is normalised so that the DC term is the mean
/// voxel value times one (forward transform divided by the voxel count, as RELION does), which
/// makes Guinier intercepts comparable with RELION's.
public struct HalfSpectrum: Equatable, Sendable {
    /// The real-space grid this is the transform of.
    public var grid: VoxelGrid
    /// The coefficients, `hCount·ny·nz` of them.
    public var coefficients: AlignedArray<ComplexF>

    /// Number of stored h values: `nx/2 + 1`.
    public var hCount: Int { grid.size.x / 2 + 1 }

    /// A spectrum of zeros for `grid`.
    public init(grid: VoxelGrid) {
        self.grid = grid
        self.coefficients = AlignedArray(repeating: .zero, count: (grid.size.x / 2 + 1) * grid.size.y * grid.size.z)
    }

    /// A spectrum with the given coefficients.
    public init(grid: VoxelGrid, coefficients: AlignedArray<ComplexF>) {
        precondition(coefficients.count == (grid.size.x / 2 + 1) * grid.size.y * grid.size.z)
        self.grid = grid
        self.coefficients = coefficients
    }

    /// Coefficient (h, k, l) with k and l given as stored (0 ..< ny, 0 ..< nz).
    public subscript(h: Int, k: Int, l: Int) -> ComplexF {
        get { coefficients[h + hCount * (k + grid.size.y * l)] }
        set { coefficients[h + hCount * (k + grid.size.y * l)] = newValue }
    }
}

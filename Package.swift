// swift-tools-version:6.0
// mapbook: cryo-EM map improvement and validation reports.
//
// Data flows one way through the targets:
//   MapbookCore (errors, progress, atomic files, RNG, the JSON policy, UTC timestamps)
//   -> MapModel (volumes, MRC/CCP4 I/O)
//   -> FourierEngine (FFTW plans, shells, FSC and its weights, filters, Guinier plots and fits)
//   -> ModelMaps (maps and masks from atomic models)
//   -> ModelRefinement (real-space refinement of models against maps: rigid body, then coordinates)
//   -> ModelValidation (map–model agreement as EMDB and Phenix report it: Q-score, the CC family, d99/d_model, atom inclusion)
//   -> Symmetry (point groups, symmetry averaging, scoring and detection, model expansion; needs only MapModel)
//   -> MapBoxing (phenix.map_box: boxes, frames, the unique part), FocusedMaps (composites of focused maps)
//   -> Postprocessing, Simulation, LocalResolution, Sharpening, HalfMapSharpening (algorithms: pure functions over volumes)
//   -> DensityModification (sharpens its final map with the Fourier engine's FSC weighting and B-factor)
//   -> Reports (JSON, EMDB FSC XML), Figures (Cairo plots)
//   -> Notebook (the engine: plans and their parser, the caching runner, provenance, presentation types;
//      knows no algorithm and no kind: the parser is handed the kinds)
//   -> NotebookCells (one file per cell kind: inputs, parameters, run, present; `CellKinds.all` lists them)
//   -> NotebookReport (HTML, PDF, .ipynb)
//   -> Facility (batches of datasets: manifest, local runs, Slurm arrays, the facility index)
//   -> mapbook (thin command-line front end)
import PackageDescription

let package = Package(
    name: "mapbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mapbook", targets: ["mapbook"]),
        .library(name: "MapbookKit", targets: ["MapModel", "FourierEngine", "ModelMaps", "ModelRefinement", "ModelValidation", "Symmetry", "Postprocessing", "Simulation",
                                                "MapBoxing", "FocusedMaps", "LocalResolution", "LocalSharpening", "Sharpening", "HalfMapSharpening", "DensityModification", "Reports", "Figures",
                                                "Notebook", "NotebookCells", "NotebookReport", "Facility"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // System libraries, bound through module maps (see Sources/C*/module.modulemap).
        .systemLibrary(name: "CFFTW3f", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"]), .brew(["fftw"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev", "libpng-dev"]), .brew(["cairo"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        .target(name: "MapbookCore"),
        .target(name: "MapModel", dependencies: ["MapbookCore", "CZlib"]),
        .target(name: "FourierEngine", dependencies: ["MapbookCore", "MapModel", "CFFTW3f"]),
        .target(name: "ModelMaps", dependencies: ["MapbookCore", "MapModel", "FourierEngine"]),
        .target(name: "ModelRefinement", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps"]),
        .target(name: "ModelValidation", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps"]),
        .target(name: "Symmetry", dependencies: ["MapbookCore", "MapModel"]),
        .target(name: "Postprocessing", dependencies: ["MapbookCore", "MapModel", "FourierEngine"]),
        .target(name: "MapBoxing", dependencies: ["MapbookCore", "MapModel", "ModelMaps", "ModelValidation", "Symmetry"]),
        .target(name: "FocusedMaps", dependencies: ["MapbookCore", "MapModel", "ModelMaps", "ModelValidation"]),
        .target(name: "Simulation", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps"]),
        .target(name: "LocalResolution", dependencies: ["MapbookCore", "MapModel", "FourierEngine"]),
        .target(name: "LocalSharpening", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "LocalResolution", "HalfMapSharpening"]),
        .target(name: "HalfMapSharpening", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps"]),
        .target(name: "Sharpening", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps", "HalfMapSharpening"]),
        .target(name: "DensityModification", dependencies: ["MapbookCore", "MapModel", "FourierEngine", "ModelMaps", "ModelRefinement", "Symmetry", "HalfMapSharpening"]),
        .target(name: "Figures", dependencies: ["MapbookCore", "MapModel", "CCairo"]),
        .target(name: "Reports", dependencies: ["MapbookCore", "FourierEngine", "Postprocessing", "LocalResolution", "CCairo"]),
        .target(name: "Notebook", dependencies: [
            "MapbookCore", "MapModel", "Figures",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "NotebookCells", dependencies: [
            "Notebook", "MapbookCore", "MapModel", "FourierEngine", "Postprocessing", "LocalResolution", "LocalSharpening", "Sharpening", "HalfMapSharpening",
            "DensityModification", "ModelMaps", "ModelValidation", "Reports", "Figures", "Simulation", "MapBoxing", "FocusedMaps",
        ]),
        .target(name: "NotebookReport", dependencies: [
            "MapbookCore", "MapModel", "Notebook", "Figures", "Reports", "CCairo",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Ink", package: "Ink"),
        ]),
        .target(name: "Facility", dependencies: ["MapbookCore", "MapModel", "Figures", "Notebook", "NotebookCells", "NotebookReport"]),
        .executableTarget(name: "mapbook", dependencies: [
            "MapbookCore", "MapModel", "FourierEngine", "ModelMaps", "ModelValidation", "Postprocessing", "Simulation", "LocalResolution", "LocalSharpening",
            "Sharpening", "HalfMapSharpening", "DensityModification", "Symmetry", "MapBoxing", "FocusedMaps", "Reports", "Notebook", "NotebookCells", "NotebookReport", "Facility",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared test helpers: where the real data is, temporary folders.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "MapbookCoreTests", dependencies: ["MapbookCore", "TestSupport"]),
        .testTarget(name: "MapModelTests", dependencies: ["MapModel", "MapbookCore", "TestSupport"]),
        .testTarget(name: "FourierEngineTests", dependencies: ["FourierEngine", "MapModel", "Simulation", "TestSupport"]),
        .testTarget(name: "ModelMapsTests", dependencies: ["ModelMaps", "FourierEngine", "MapModel", "MapbookCore", "TestSupport"]),
        .testTarget(name: "ModelValidationTests", dependencies: ["ModelValidation", "ModelMaps", "FourierEngine", "MapModel", "MapbookCore", "Simulation", "TestSupport"]),
        .testTarget(name: "ModelRefinementTests", dependencies: ["ModelRefinement", "ModelMaps", "FourierEngine", "MapModel", "MapbookCore", "TestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "ModelMaps", "FourierEngine", "MapModel", "MapbookCore", "TestSupport"]),
        .testTarget(name: "PostprocessingTests", dependencies: ["Postprocessing", "FourierEngine", "MapModel", "Simulation", "Reports", "TestSupport"]),
        .testTarget(name: "LocalResolutionTests", dependencies: ["LocalResolution", "FourierEngine", "MapModel", "Simulation", "ModelMaps", "TestSupport"]),
        .testTarget(name: "HalfMapSharpeningTests", dependencies: ["HalfMapSharpening", "Simulation", "FourierEngine", "MapModel", "MapbookCore", "TestSupport"]),
        .testTarget(name: "SharpeningTests", dependencies: ["Sharpening", "HalfMapSharpening", "Postprocessing", "ModelMaps", "FourierEngine", "MapModel", "MapbookCore", "Simulation", "TestSupport"]),
        .testTarget(name: "DensityModificationTests", dependencies: ["DensityModification", "Symmetry", "FourierEngine", "MapModel", "MapbookCore", "Simulation", "ModelMaps", "ModelRefinement", "TestSupport"]),
        .testTarget(name: "MapBoxingTests", dependencies: ["MapBoxing", "Symmetry", "ModelMaps", "ModelValidation", "MapModel", "MapbookCore", "Simulation", "TestSupport"]),
        .testTarget(name: "FocusedMapsTests", dependencies: ["FocusedMaps", "ModelMaps", "ModelValidation", "MapModel", "MapbookCore", "Simulation", "TestSupport"]),
        .testTarget(name: "SymmetryTests", dependencies: ["Symmetry", "MapModel", "MapbookCore", "ModelMaps", "TestSupport"]),
        .testTarget(name: "LocalSharpeningTests", dependencies: ["LocalSharpening", "LocalResolution", "Postprocessing", "FourierEngine", "MapModel", "MapbookCore", "Simulation", "TestSupport"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "MapModel", "TestSupport"],
                    exclude: ["References"]),
        .target(name: "NotebookTestSupport", dependencies: ["Notebook", "NotebookCells", "Simulation", "MapModel", "MapbookCore", "TestSupport"],
                path: "Tests/NotebookSupport"),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "NotebookCells", "NotebookTestSupport", "MapbookCore", "MapModel", "Simulation", "Postprocessing", "TestSupport"]),
        .testTarget(name: "NotebookReportTests", dependencies: ["NotebookReport", "Notebook", "NotebookCells", "Figures", "NotebookTestSupport", "MapbookCore", "TestSupport"]),
        .testTarget(name: "FacilityTests", dependencies: ["Facility", "Figures", "LocalResolution", "Notebook", "NotebookCells", "Postprocessing", "NotebookReport", "NotebookTestSupport", "MapbookCore", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["MapModel", "mapbook", "TestSupport"]),
    ],
    // Swift 5 language mode: the numeric kernels hand raw buffer pointers to parallel loops
    // (DispatchQueue.concurrentPerform over disjoint ranges), which strict Sendable checking
    // cannot express. Shared mutable state is confined to locks (see FFTPlanCache).
    swiftLanguageModes: [.v5]
)

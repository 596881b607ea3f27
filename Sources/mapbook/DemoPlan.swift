/// The example plan `mapbook demo` runs when fixtures/demo/plan.yaml is not there (the binary
/// run outside the repository). Kept identical to that file by a test.
enum DemoPlan {
    static let text = #"""
# The example plan `mapbook demo` runs on the bundled example: a simulated bundle of four
# α-helices (64³ voxels of 1 Å; half-map FSC 0.143 at 4 Å by construction; local resolution
# from 3.6 Å at the centre to 6 Å at the edge), with its mask, model and sequence, and the
# noise-free truth beside them (fixtures/example/truth.mrc). Paths are relative to this file.
# Run it yourself with:
#   mapbook run fixtures/demo/plan.yaml -o reports/demo
title: "mapbook demo: a simulated helix bundle"

dataset:
  name: demo
  half_maps: [../example/half1.mrc, ../example/half2.mrc]
  mask: ../example/mask.mrc
  model: ../example/model.pdb
  sequence: ../example/sequence.fasta
  symmetry: C1
  truth: ../example/truth.mrc                        # simulated data: the noise-free map
  true_local_resolution: ../example/localres.mrc     # and its true local resolution

cells:
  - markdown: |
      # A simulated helix bundle

      Four ideal α-helices, simulated so that the half-map FSC falls through **0.143 at 4 Å**
      and the local resolution worsens from the centre (3.6 Å) to the edge (6 Å). The cells
      below measure that, sharpen the map globally and locally, modify it, and check the
      model against it.

  - kind: fsc
    id: fsc
    title: Half-map FSC without a mask
    mask: none
    thresholds: [0.143, 0.5, half_bit]

  - kind: postprocess
    id: postprocess
    title: Post-processing with the dataset's mask
    bfactor: auto
    autob_lowres: 10

  - markdown: |
      With the mask the corrected FSC reaches {{ postprocess.resolution }} (unmasked:
      {{ fsc.resolution }}), and the fitted B-factor is {{ postprocess.bfactor }}.

  - kind: local_resolution
    id: localres
    title: Local resolution (MonoRes)
    method: monores

  - markdown: |
      MonoRes puts the median local resolution at {{ localres.median }}
      (5–95 %: {{ localres.percentile5 }} to {{ localres.percentile95 }}); the truth runs
      from 3.6 Å at the centre to 6 Å at the edge.

  - kind: sharpen
    id: auto_sharpen
    title: Automatic sharpening (adjusted surface area)
    resolution: postprocess.resolution
    method: b_iso_to_d_cut

  - kind: halfmap_sharpen
    id: recommended
    title: The map for model building (half-map sharpening)
    mode: auto

  - kind: local_sharpen
    id: local_sharpen
    title: Local sharpening (LocalDeblur)
    resolution_map: localres.resolution_map
    global_map: postprocess.sharpened

  - kind: density_modify
    id: densmod
    title: Density modification
    cycles: 2

  - kind: model_fit
    id: model_fit
    title: Model against the post-processed map
    map: postprocess.sharpened

  - kind: montage
    id: slices
    title: Half map, sharpened, locally sharpened and modified maps
    maps: [dataset.half_map_1, postprocess.sharpened, auto_sharpen.sharpened, recommended.sharpened, local_sharpen.sharpened, densmod.map]
    labels: [half map 1, sharpened (Guinier B), auto-sharpened, half-map sharpened, LocalDeblur, density-modified]
    crop: mask

  - kind: views
    id: views
    title: EMDB-style views of the post-processed map
    maps: [postprocess.sharpened]
    labels: [sharpened (Guinier B)]

  - kind: truth
    id: truth
    title: Every map against the truth
    maps: [dataset.half_map_1, postprocess.sharpened, auto_sharpen.sharpened, recommended.sharpened, local_sharpen.sharpened, densmod.map]
    labels: [half map 1, Guinier B, auto-sharpened, half-map sharpened, LocalDeblur, density-modified]

  - markdown: |
      Judged against the noise-free truth inside the mask, the best map reaches a
      correlation of {{ truth.best_correlation }}; the table says which.

  - kind: compare
    id: summary
    title: Numbers and maps side by side
    numbers: [fsc.resolution, postprocess.resolution, postprocess.bfactor, localres.median, auto_sharpen.bfactor, densmod.resolution_after, model_fit.mean_q, model_fit.cc_mask]
    maps: [dataset.half_map_1, postprocess.sharpened, densmod.map]

  - kind: map_box
    id: box_ab
    title: A box around helices A and B (half map 1)
    map: dataset.half_map_1
    selection: A,B
    padding: 4

  - kind: map_box
    id: box_cd
    title: A box around helices C and D (half map 2, FFT-friendly edges)
    map: dataset.half_map_2
    selection: C,D
    padding: 7
    fft_friendly: true

  - kind: composite
    id: composite
    title: Composite of the two boxes
    maps: [box_ab.map, box_cd.map]

# What goes to EMDB: the report's deposition/ folder holds the half maps as given, this map,
# this mask and this cell's FSC XML, with a checklist (unmasked half maps, one grid, the XML
# well formed and equal to the report's curve).
deposition:
  map: postprocess.sharpened
  fsc: postprocess
  mask: dataset.mask
"""#
}

/// The example plan `mapbook demo` runs when fixtures/demo/plan.yaml is not there (the binary
/// run outside the repository). Kept identical to that file by a test.
enum DemoPlan {
    static let text = #"""
# The example plan `mapbook demo` runs: a synthetic half-map pair (96³ voxels of 1.5 Å,
# FSC 0.143 built in at 4.5 Å; made by `mapbook synthetic-pair`) through the notebook's cells.
# Paths are relative to this file. Run it yourself with:
#   mapbook run fixtures/demo/plan.yaml -o reports/demo
title: "mapbook demo: a synthetic half-map pair"

dataset:
  name: demo
  half_maps: [../example/half1.mrc, ../example/half2.mrc]
  symmetry: C1

cells:
  - markdown: |
      # Synthetic half maps

      The two half maps share a protein-like signal and carry independent white noise,
      scaled so that their FSC falls through **0.143 at 4.5 Å** by construction. The
      cells below measure that, sharpen the average map and show it.

  - kind: fsc
    id: fsc
    title: Half-map FSC without a mask
    thresholds: [0.143, 0.5, half_bit]

  - kind: postprocess
    id: postprocess
    title: Post-processing with an automatic mask
    mask: auto
    bfactor: auto
    autob_lowres: 10

  - markdown: |
      With the automatic mask the corrected FSC reaches {{ postprocess.resolution }}
      (unmasked: {{ fsc.resolution }}), and the fitted B-factor is {{ postprocess.bfactor }}.

  - kind: local_resolution
    id: localres
    title: Local resolution (MonoRes)
    method: monores
    global_resolution: postprocess.resolution

  - markdown: |
      MonoRes puts the median local resolution at {{ localres.median }}
      (5–95 %: {{ localres.percentile5 }} to {{ localres.percentile95 }}).

  - kind: sharpen
    id: autosharpen
    title: Automatic sharpening (adjusted surface area)
    resolution: postprocess.resolution
    method: b_iso_to_d_cut      # named: with half maps and no method, half-map sharpening is used

  - markdown: |
      Scored by the adjusted surface area, automatic sharpening of the average map applied
      {{ autosharpen.bfactor }} (the map's own B is {{ autosharpen.map_bfactor }}); the
      Guinier fit of post-processing applied {{ postprocess.bfactor }} after FSC weighting.

  - kind: montage
    id: slices
    title: Half map, sharpened maps and masked sharpened map
    maps: [dataset.half_map_1, postprocess.sharpened, autosharpen.sharpened, postprocess.sharpened_masked]
    labels: [half map 1, sharpened (Guinier B), auto-sharpened, sharpened × mask]

  - kind: compare
    id: summary
    title: Numbers and maps side by side
    numbers: [fsc.resolution, fsc.resolution_half_bit, postprocess.resolution, postprocess.resolution_half, postprocess.bfactor, autosharpen.bfactor, postprocess.mask_fraction]
    maps: [dataset.half_map_1, dataset.half_map_2, postprocess.sharpened]

# What goes to EMDB: the report's deposition/ folder holds the half maps as given, this map,
# this mask and this cell's FSC XML, with a checklist (unmasked half maps, one grid, the XML
# well formed and equal to the report's curve).
deposition:
  map: postprocess.sharpened
  fsc: postprocess
  mask: postprocess.mask
"""#
}

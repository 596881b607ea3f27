#!/usr/bin/env python3
"""The table of bench/all.sh: wall time, peak memory, ratio to the peer and to the FFT floor,
and the fitted growth exponent of time against N. Prints the markdown table; writes it with
machine facts to RESULTS (unless "-"), and the same numbers machine-readable beside it
(RESULTS with .tsv: `# key: value` facts, then one row per (work, N)), which
`mapbook run bench/report.yaml` turns into the report with the scaling figure.

usage: all_table.py ROWS.tsv WORKDIR THREADS RESULTS COMMIT
ROWS.tsv: work, N, tool (mapbook or relion), wall s, peak RSS KiB, transform-count JSON.
WORKDIR/N/floor.json: `mapbook fft-floor` output for the shapes run at N."""
import csv, datetime, json, math, os, platform, subprocess, sys

rows_path, work_dir, threads, results, commit = sys.argv[1:6]
rows = list(csv.DictReader(open(rows_path), delimiter="\t"))
ORDER = ["postprocess", "local resolution", "sharpen", "local sharpen", "density modify", "fsc + directional", "model fit"]


def floor_seconds(n, counts_path):
    """Seconds of the transforms a run did, each at its shape's measured time; with the count."""
    try:
        counts = json.load(open(counts_path))["transforms"]
        timing = {t["shape"]: t for t in json.load(open(os.path.join(work_dir, n, "floor.json")))["transforms"]}
    except (OSError, ValueError, KeyError):
        return None, None
    total, number = 0.0, 0
    for key, k in counts.items():
        shape, kind = key.split()
        t = timing.get(shape)
        if t is None:
            return None, None
        total += k * (t["r2cSeconds"] if kind == "r2c" else t["c2rSeconds"])
        number += k
    # Band-limited transforms count as the fraction of a full one they do; the count shown
    # is in full transforms, rounded.
    return total, round(number)


table = {}
for r in rows:
    if r["wall"] in ("", "failed"):
        table[(r["work"], int(r["N"]), r["tool"])] = None
        continue
    table[(r["work"], int(r["N"]), r["tool"])] = r

sizes = sorted({int(r["N"]) for r in rows})
works = [w for w in ORDER if any(k[0] == w for k in table)]


def growth(work, tool):
    pts = [(math.log(n), math.log(float(table[(work, n, tool)]["wall"]))) for n in sizes
           if table.get((work, n, tool)) and float(table[(work, n, tool)]["wall"]) > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts); my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx > 0 else None


lines = ["| work | N | mapbook s | peak MiB | peak / map | peer | peer s | peer MiB | peer / mapbook | transforms | FFT floor s | mapbook / floor |",
         "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
for w in works:
    for n in sizes:
        m = table.get((w, n, "mapbook"))
        p = table.get((w, n, "relion"))
        if (w, n, "mapbook") not in table:
            continue
        map_mib = n ** 3 * 4 / 2 ** 20
        if m is None:
            cells = ["failed", "", ""]
            fl, count = None, None
        else:
            wall, rss = float(m["wall"]), float(m["rss_kib"]) / 1024
            cells = [f"{wall:.2f}", f"{rss:.0f}", f"{rss / map_mib:.1f}"]
            fl, count = floor_seconds(str(n), m["counts"])
        peer = "relion_postprocess" + (" --locres" if w == "local resolution" else "") if (w, n, "relion") in table else "—"
        if p is not None:
            pw, prss = float(p["wall"]), float(p["rss_kib"]) / 1024
            ratio = f"{pw / float(m['wall']):.1f}×" if m else ""
            cells += [peer, f"{pw:.2f}", f"{prss:.0f}", ratio]
        else:
            cells += [peer, "failed" if (w, n, "relion") in table else "", "", ""]
        if fl is not None and m is not None:
            cells += [str(count), f"{fl:.2f}", f"{float(m['wall']) / fl:.1f}×" if fl > 0 else ""]
        else:
            cells += ["", "", ""]
        lines.append(f"| {w} | {n} | " + " | ".join(cells) + " |")
exponents = ["| work | mapbook: time ∝ N^k | peer: time ∝ N^k |", "|---|---:|---:|"]
for w in works:
    g, gp = growth(w, "mapbook"), growth(w, "relion")
    exponents.append(f"| {w} | {'%.2f' % g if g is not None else '—'} | {'%.2f' % gp if gp is not None else '—'} |")


def targets():
    """Issue 18's targets, checked on the rows that were run (sizes 240-256 count as 256)."""
    out = ["| target (issue 18) | measured | met |", "|---|---|---|"]

    def row(work, n, tool="mapbook"):
        return table.get((work, n, tool))

    def add(what, value, ok):
        out.append(f"| {what} | {value} | {'yes' if ok else 'no'} |")

    for n in [n for n in sizes if 240 <= n <= 256]:
        m, p = row("postprocess", n), row("postprocess", n, "relion")
        if m and p:
            r = float(p["wall"]) / float(m["wall"])
            add(f"postprocess {n}³: ≥ 10× faster than relion_postprocess", f"{r:.1f}×", r >= 10)
        if m:
            fl, _ = floor_seconds(str(n), m["counts"])
            if fl:
                add(f"postprocess {n}³: ≤ 2× its FFT floor", f"{float(m['wall']) / fl:.1f}×", float(m["wall"]) <= 2 * fl)
            maps = float(m["rss_kib"]) * 1024 / (4 * n ** 3)
            add(f"postprocess {n}³: peak ≤ 6 maps (RSS over one map)", f"{maps:.1f}", maps <= 6)
        lr = row("local resolution", n)
        if lr:
            add(f"MonoRes {n}³, mask radius 0.4·N: ≤ 12 s", f"{float(lr['wall']):.1f} s", float(lr["wall"]) <= 12)
            fl, _ = floor_seconds(str(n), lr["counts"])
            if fl:
                add(f"MonoRes {n}³: ≤ 2.5× its FFT floor", f"{float(lr['wall']) / fl:.1f}×", float(lr["wall"]) <= 2.5 * fl)
            p = row("local resolution", n, "relion")
            if p:
                r = float(p["wall"]) / float(lr["wall"])
                add(f"MonoRes {n}³: ≥ 30× faster than relion --locres", f"{r:.1f}×", r >= 30)
    lr, p = row("local resolution", 128), row("local resolution", 128, "relion")
    if lr and p:
        r = float(p["wall"]) / float(lr["wall"])
        add("MonoRes 128³: ≥ 3× faster than relion --locres", f"{r:.1f}×", r >= 3)
    return "\n".join(out) if len(out) > 2 else ""


table_md = "\n".join(lines) + "\n\nFitted growth exponent k (least squares of log time on log N, over the sizes run):\n\n" + "\n".join(exponents)
checks = targets()
if checks:
    table_md += "\n\n" + checks
print(table_md)

if results == "-":
    sys.exit(0)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return "unknown"


load = sh("cut -d' ' -f1-3 /proc/loadavg")
memory_gib = sh("free -g | awk '/^Mem:/ {print $2}'")
cpu = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")
# (key, value) pairs: "- key: value" in results.md, "# key: value" in results.tsv; notes are
# plain bullets in results.md.
facts = [
    ("date", datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')),
    ("commit", commit),
    ("machine", f"{cpu}, {sh('nproc')} cores (nproc), {memory_gib} GiB memory, {platform.system()} {platform.release()}"),
    ("threads", threads),
    ("load average at the end", load),
    ("peer", f"{sh('relion_postprocess --version 2>&1 | head -1') or 'not installed'} (single-threaded: RELION 3.1 has no --j here)"),
]
no_locres_peer = [n for n in sizes if ("local resolution", n, "mapbook") in table and ("local resolution", n, "relion") not in table]
if no_locres_peer and (("postprocess", sizes[0], "relion") in table):
    facts.append(("note", "relion_postprocess --locres not run at N = " + ", ".join(map(str, no_locres_peer))
                  + " (BENCH_LOCRES_PEER_MAX: it takes half an hour and more at 256³)"))
hits_path = os.path.join(work_dir, "peer_cache_hits")
if os.path.exists(hits_path):
    hits = [line.split() for line in open(hits_path) if line.strip()]
    facts.append(("note", "peer times reused from the peer cache (same command, input checksums, version and machine): "
                  + "; ".join(f"{' '.join(h[:-2])} {h[-2]}³ (timed {h[-1]})" for h in hits)))
fact_lines = [f"- {v}" if k == "note" else f"- {k}: {v}" for k, v in facts]
tsv = os.path.splitext(results)[0] + ".tsv"
doc = f"""# Benchmark: every algorithm, peers and the FFT floor (bench/all.sh)

Made by `bench/all.sh {' '.join(map(str, sizes))}`. Inputs: `mapbook simulate` (a helix bundle that grows with the box, 4 helices of
15 residues at 64 to 12 of 100 at 384, with its sequence; 1 Å voxels, FSC 0.143 at 3.5 Å) at each N; postprocess, local resolution and the FSC use a soft
spherical mask of radius 0.4·N. Times are warm runs (FFTW plans already in the wisdom file), wall
clock, with GNU time's peak RSS: mapbook's rows at N ≤ 256 are the median of BENCH_REPEATS runs (default 3; the
largest peak), each writing fresh outputs, since one sub-second run varies by ±10 % with the machine's state;
larger N and the peers run once. The FFT floor is the number of 3-D transforms the run did (counted by
mapbook; a band-limited transform, which skips the 1-D transforms a low-pass filter would zero, counts as the
fraction of a full one that it does) times the time of one transform of each shape, measured by `mapbook fft-floor`
in the same run.
"peak / map" is peak RSS over one float32 map of N³.

{chr(10).join(fact_lines)}

{table_md}

The same numbers as a mapbook report, with the log-log scaling figure: [report/report.html](report/report.html)
([PDF](report/report.pdf)), made from {os.path.basename(tsv)} by `mapbook run bench/report.yaml -o bench/report`.

A change that slows any row by more than 20 % says so in the commit that makes it (issue 18).
"""
open(results, "w").write(doc)

# The machine-readable table (read by mapbook's benchmark cell): the facts, then one row per
# (work, N) with the numbers unrounded; empty where there is nothing, "failed" for a failed run.
columns = ["work", "N", "mapbook_s", "mapbook_peak_mib", "peer", "peer_s", "peer_mib", "transforms", "floor_s"]
out = ["# Benchmark table of bench/all.sh, one row per (work, N); made by bench/all_table.py beside results.md."]
out += [f"# {k}: {v}" for k, v in facts]
out.append("\t".join(columns))
for w in works:
    for n in sizes:
        if (w, n, "mapbook") not in table:
            continue
        m, p = table[(w, n, "mapbook")], table.get((w, n, "relion"))
        fl, count = floor_seconds(str(n), m["counts"]) if m else (None, None)
        peer = ("relion_postprocess" + (" --locres" if w == "local resolution" else "")) if (w, n, "relion") in table else ""
        cells = [w, str(n), m["wall"] if m else "failed", f"{float(m['rss_kib']) / 1024:.3f}" if m else "",
                 peer, (p["wall"] if p else "failed") if peer else "", f"{float(p['rss_kib']) / 1024:.3f}" if p else "",
                 str(count) if count is not None else "", f"{fl:.6g}" if fl is not None else ""]
        out.append("\t".join(cells))
open(tsv, "w").write("\n".join(out) + "\n")
print(f"\nwrote {results} and {tsv}")

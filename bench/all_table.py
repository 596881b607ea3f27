#!/usr/bin/env python3
"""The table of bench/all.sh: wall time, peak memory, ratio to the peer and to the FFT floor,
and the fitted growth exponent of time against N. Prints the markdown table; writes it with
machine facts to RESULTS (unless "-") and a log-log scaling figure (SVG) beside it.

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
    return total, number


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
facts = [
    f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
    f"- commit: {commit}",
    f"- machine: {cpu}, {sh('nproc')} cores (nproc), {memory_gib} GiB memory, {platform.system()} {platform.release()}",
    f"- threads: {threads}; load average at the end: {load}",
    f"- peer: {sh('relion_postprocess --version 2>&1 | head -1') or 'not installed'} (single-threaded: RELION 3.1 has no --j here)",
]
no_locres_peer = [n for n in sizes if ("local resolution", n, "mapbook") in table and ("local resolution", n, "relion") not in table]
if no_locres_peer and (("postprocess", sizes[0], "relion") in table):
    facts.append("- relion_postprocess --locres not run at N = " + ", ".join(map(str, no_locres_peer))
                 + " (BENCH_LOCRES_PEER_MAX: it takes half an hour and more at 256³)")
hits_path = os.path.join(work_dir, "peer_cache_hits")
if os.path.exists(hits_path):
    hits = [line.split() for line in open(hits_path) if line.strip()]
    facts.append("- peer times reused from the peer cache (same command, input checksums, version and machine): "
                 + "; ".join(f"{' '.join(h[:-2])} {h[-2]}³ (timed {h[-1]})" for h in hits))
svg = os.path.splitext(results)[0] + "_scaling.svg"
doc = f"""# Benchmark: every algorithm, peers and the FFT floor (bench/all.sh)

Made by `bench/all.sh {' '.join(map(str, sizes))}`. Inputs: `mapbook simulate` (a helix bundle that grows with the box, 4 helices of
15 residues at 64 to 12 of 100 at 384, with its sequence; 1 Å voxels, FSC 0.143 at 3.5 Å) at each N; postprocess, local resolution and the FSC use a soft
spherical mask of radius 0.4·N. Times are one warm run each (FFTW plans already in the wisdom file), wall
clock, with GNU time's peak RSS. The FFT floor is the number of 3-D transforms the run did (counted by
mapbook) times the time of one transform of each shape, measured by `mapbook fft-floor` in the same run.
"peak / map" is peak RSS over one float32 map of N³.

{chr(10).join(facts)}

{table_md}

Scaling figure: [{os.path.basename(svg)}]({os.path.basename(svg)}).

A change that slows any row by more than 20 % says so in the commit that makes it (issue 18).
"""
open(results, "w").write(doc)

# Log-log figure: time against N per work (mapbook solid, peer dashed).
W, H, L, R, T, B = 720, 460, 70, 190, 20, 50
pts = [(n, float(r["wall"])) for (w, n, tool), r in table.items() if r]
if pts:
    xs = [math.log(n) for n, _ in pts]; ys = [math.log(max(t, 1e-3)) for _, t in pts]
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1
    y0, y1 = min(ys) - 0.3, max(ys) + 0.3
    px = lambda v: L + (v - x0) / (x1 - x0) * (W - L - R)
    py = lambda v: H - B - (v - y0) / (y1 - y0) * (H - T - B)
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{L}" y1="{H-B}" x2="{W-R}" y2="{H-B}" stroke="black"/><line x1="{L}" y1="{T}" x2="{L}" y2="{H-B}" stroke="black"/>']
    for n in sizes:
        out.append(f'<text x="{px(math.log(n)):.1f}" y="{H-B+16}" text-anchor="middle">{n}</text>')
    for e in range(math.floor(y0 / math.log(10)), math.ceil(y1 / math.log(10)) + 1):
        v = e * math.log(10)
        if y0 <= v <= y1:
            out.append(f'<line x1="{L-4}" y1="{py(v):.1f}" x2="{W-R}" y2="{py(v):.1f}" stroke="#ddd"/>'
                       f'<text x="{L-6}" y="{py(v)+4:.1f}" text-anchor="end">{10.0 ** e:g} s</text>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H-12}" text-anchor="middle">box edge N (voxels), log scale</text>')
    for i, w in enumerate(works):
        c = colors[i % len(colors)]
        for tool, dash in (("mapbook", ""), ("relion", ' stroke-dasharray="5,4"')):
            p = [(math.log(n), math.log(max(float(table[(w, n, tool)]["wall"]), 1e-3))) for n in sizes if table.get((w, n, tool))]
            if not p:
                continue
            out.append(f'<polyline fill="none" stroke="{c}" stroke-width="2"{dash} points="' + " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in p) + '"/>')
            out += [f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="3" fill="{c}"/>' for a, b in p]
        g = growth(w, "mapbook")
        out.append(f'<text x="{W-R+10}" y="{T + 16 * i + 10}" fill="{c}">{w}' + (f" (N^{g:.2f})" if g else "") + '</text>')
    out.append(f'<text x="{W-R+10}" y="{T + 16 * len(works) + 20}" fill="#555">dashed: RELION</text></svg>')
    open(svg, "w").write("\n".join(out) + "\n")
print(f"\nwrote {results} and {svg}")

"""Ingest step, benchmark: generate large exports per platform in a temp dir and time each reader.

    uv run python benchmarks/ingest.py                      # 100k x 200 text/SPSS, 10k x 200 XLSX
    uv run python benchmarks/ingest.py --rows 20000 --platforms qualtrics surveymonkey
    uv run python benchmarks/ingest.py --repeat 5           # five reads per reader

Each read runs in a fresh subprocess, so its peak resident memory (VmHWM) is its own: "base" is
the subprocess's peak after imports and before reading; "mem/file" is its peak (base included)
over the file's size, "read/file" the same without the base. The wall time includes hashing the
file (sha256) and everything ``read_export`` does, detection included. All files are written
first; then every reader reads its file once per round, for --repeat rounds, so that a busy
spell on the machine slows all readers alike: "rows/s" is from the median wall time, "best"
from the fastest; the peak is the highest. The issue's targets for the CSV platforms (100k
respondents x 200 columns, two cores) are checked on the median and printed as PASS/MISS lines,
with the load average and the CPU other processes used during the reads (and the hypervisor's
steal): other work on the machine slows the figures down.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

LIKERT = ["Not important", "Somewhat important", "Important", "Very important"]
CHOICES = ["Large pharmaceutical company", "Small biotech company", "Contract manufacturer, CDMO"]
FREE_TEXT = ['"We need QC analysts,\nand ""hands-on"" GMP training."', "More automation", ""]
TEXT_PLATFORMS = ["qualtrics", "surveymonkey", "limesurvey", "google_forms", "generic"]
DEFAULT_ROWS, DEFAULT_COLS = 100_000, 200
TARGET_ROWS_PER_SECOND = 50_000  # the CSV platforms, 100k x 200 on two cores
TARGET_MEMORY_PER_FILE = 4.0  # peak resident memory under 4x the file size


def body_lines(n_rows: int, n_cols: int, seed: int = 7, delimiter: str = ",") -> list[str]:
    """n_rows CSV lines of n_cols cells: numbers, choice text (some quoted), Likert labels,
    empty cells and a multi-line quoted free text; 2,000 distinct lines cycled."""
    rng = np.random.default_rng(seed)
    pools: list[list[str]] = [
        [str(i) for i in range(100)],
        ['"' + choice + '"' if delimiter in choice else choice for choice in CHOICES],
        LIKERT,
        ["", "", "1"],
        FREE_TEXT,
    ]
    distinct = []
    for _ in range(2000):
        cells = [
            pools[j % len(pools)][int(rng.integers(len(pools[j % len(pools)])))]
            for j in range(n_cols)
        ]
        distinct.append(delimiter.join(cells))
    return [distinct[i % len(distinct)] for i in range(n_rows)]


def write_lines(
    path: Path, header: list[str], lines: list[str], prefix: Callable[[int], str]
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\r\n".join(header) + "\r\n")
        for index, line in enumerate(lines):
            handle.write(prefix(index) + line + "\r\n")
    return path


def settled(path: Path) -> Path:
    """The file flushed to disk, so that writing it back does not run during the reads."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    return path


def qualtrics_csv(folder: Path, n_rows: int, n_cols: int) -> Path:
    meta = ["StartDate", "EndDate", "Status", "ResponseId"]
    ids = ["startDate", "endDate", "status", "_recordId"]
    tags = meta + [f"Q{j}" for j in range(n_cols - 4)]
    texts = meta + [f"<p>Question {j} - item</p>" for j in range(n_cols - 4)]
    import_ids = ids + [f"QID{j}" for j in range(n_cols - 4)]
    header = [
        ",".join(tags),
        ",".join(texts),
        ",".join(f'"{{""ImportId"":""{key}""}}"' for key in import_ids),
    ]
    lines = body_lines(n_rows, n_cols - 4)
    stamp = "2024-03-01 09:00:00,2024-03-01 09:10:00,"
    return write_lines(
        folder / "qualtrics.csv", header, lines, lambda i: f"{stamp}{i % 2},R_{i:010d},"
    )


def surveymonkey_header(n_cols: int) -> tuple[list[str], list[str]]:
    meta = ["Respondent ID", "Collector ID"]
    row1, row2 = list(meta), ["", ""]
    for j in range(n_cols - 2):
        row1.append(f"Question {j // 4}?" if j % 4 == 0 else "")
        row2.append(f"Option {j % 4}")
    return row1, row2


def surveymonkey_csv(folder: Path, n_rows: int, n_cols: int) -> Path:
    row1, row2 = surveymonkey_header(n_cols)
    lines = body_lines(n_rows, n_cols - 2)
    return write_lines(
        folder / "surveymonkey.csv",
        [",".join(row1), ",".join(row2)],
        lines,
        lambda i: f"{114000000000 + i},431234567,",
    )


def one_header_csv(name: str, headings: list[str]) -> Callable[..., Path]:
    n_meta = len(headings)

    def write(folder: Path, rows: int, n_cols: int) -> Path:
        columns = headings + [f"Question {j}?" for j in range(n_cols - n_meta)]
        lines = body_lines(rows, n_cols - n_meta)
        return write_lines(
            folder / f"{name}.csv",
            [",".join(columns)],
            lines,
            lambda i: ",".join([str(i + 1), *["2024-03-01 09:00:00"] * (n_meta - 1)]) + ",",
        )

    return write


def limesurvey_csv(folder: Path, n_rows: int, n_cols: int) -> Path:
    columns = ["id. Response ID", "submitdate. Date submitted"]
    columns += [f"G01Q{j:03d}[SQ001]. Question {j}? [Item]" for j in range(n_cols - 2)]
    lines = body_lines(n_rows, n_cols - 2)
    return write_lines(
        folder / "limesurvey.csv",
        [",".join(columns)],
        lines,
        lambda i: f"{i + 1},2024-03-01 09:00:00,",
    )


def xlsx_file(name: str, header: Callable[[int], list[list[str]]]) -> Callable[..., Path]:
    def write(folder: Path, n_rows: int, n_cols: int) -> Path:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Sheet1")
        for row in header(n_cols):
            sheet.append([cell or None for cell in row])
        rng = np.random.default_rng(3)
        for i in range(n_rows):
            values = rng.integers(0, 5, n_cols - 1).tolist()
            sheet.append([i + 1, *[LIKERT[v] if v < 4 else None for v in values]])
        path = folder / f"{name}.xlsx"
        workbook.save(path)
        return path

    return write


def spss_file(folder: Path, n_rows: int, n_cols: int) -> Path:
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({f"q{j}": rng.integers(1, 5, n_rows).astype(float) for j in range(n_cols)})
    labels: dict[str, dict[int | float, str]] = {
        f"q{j}": dict(enumerate(LIKERT, start=1)) for j in range(0, n_cols, 2)
    }
    path = folder / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    return path


GENERATORS: dict[str, tuple[Callable[..., Path], str]] = {
    "qualtrics": (qualtrics_csv, "text"),
    "surveymonkey": (surveymonkey_csv, "text"),
    "limesurvey": (limesurvey_csv, "text"),
    "google_forms": (one_header_csv("google_forms", ["Timestamp"]), "text"),
    "generic": (one_header_csv("generic", ["id", "when"]), "text"),
    "spss": (spss_file, "sav"),
    "surveymonkey_xlsx": (
        xlsx_file("surveymonkey", lambda n: list(surveymonkey_header(n))),
        "xlsx",
    ),
    "microsoft_forms_xlsx": (
        xlsx_file(
            "microsoft_forms",
            lambda n: [["ID", "Start time", "Completion time"] + [f"Q{j}" for j in range(n - 3)]],
        ),
        "xlsx",
    ),
}
PLATFORM_OF = {"surveymonkey_xlsx": "surveymonkey", "microsoft_forms_xlsx": "microsoft_forms"}


def peak_mib() -> float:
    """Peak resident memory of this process in MiB: VmHWM (reset by exec, unlike ru_maxrss,
    which a child inherits from the parent that forked it), ru_maxrss where /proc is absent."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_in_this_process(platform: str, path: Path) -> dict[str, float]:
    """Read once; wall seconds, CPU seconds, rows, peak RSS before and after (MiB)."""
    from transforms.ingest.readers import read_export

    base = peak_mib()
    wall, cpu = time.perf_counter(), time.process_time()
    export = read_export(path, platform)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = peak_mib()
    rows, cols = export.data.shape
    return {"rows": rows, "cols": cols, "wall": wall, "cpu": cpu, "base": base, "peak": peak}


def measure(platform: str, path: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", platform, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def summary(runs: list[dict[str, float]], size_bytes: int) -> dict[str, float]:
    """Median and best wall time of the runs, their highest peak, and peak / file size."""
    walls = [run["wall"] for run in runs]
    wall = statistics.median(walls)
    peak = max(run["peak"] for run in runs)
    return {
        "rows": runs[0]["rows"],
        "cols": runs[0]["cols"],
        "mb": size_bytes / 1e6,
        "wall": wall,
        "cpu": statistics.median(run["cpu"] for run in runs),
        "rate": runs[0]["rows"] / wall,
        "best": runs[0]["rows"] / min(walls),
        "peak": peak,
        "base": max(run["base"] for run in runs),
        "ratio": peak / (size_bytes / 2**20),
        "read_ratio": (peak - max(run["base"] for run in runs)) / (size_bytes / 2**20),
    }


HEADER = (
    f"{'reader':22} {'rows':>8} {'cols':>5} {'MB':>7} {'wall s':>7} {'cpu s':>7} "
    f"{'rows/s':>9} {'best':>9} {'peak MiB':>9} {'base MiB':>9} {'mem/file':>9} {'read/file':>9}"
)


def row_line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:22} {figures['rows']:>8.0f} {figures['cols']:>5.0f} {figures['mb']:>7.1f} "
        f"{figures['wall']:>7.2f} {figures['cpu']:>7.2f} {figures['rate']:>9.0f} "
        f"{figures['best']:>9.0f} {figures['peak']:>9.0f} {figures['base']:>9.0f} "
        f"{figures['ratio']:>8.2f}x {figures['read_ratio']:>8.2f}x"
    )


def target_lines(results: dict[str, dict[str, float]]) -> list[str]:
    """One PASS/MISS line per CSV platform and target."""
    lines = []
    for name in TEXT_PLATFORMS:
        if name not in results:
            continue
        figures = results[name]
        fast = figures["rate"] >= TARGET_ROWS_PER_SECOND
        small = figures["ratio"] < TARGET_MEMORY_PER_FILE
        lines.append(
            f"{'PASS' if fast else 'MISS'}  {name:14} speed   {figures['rate']:>9,.0f} rows/s "
            f"(target >= {TARGET_ROWS_PER_SECOND:,})"
        )
        lines.append(
            f"{'PASS' if small else 'MISS'}  {name:14} memory  {figures['ratio']:>9.2f}x file "
            f"(target < {TARGET_MEMORY_PER_FILE:g}x; peak {figures['peak']:.0f} MiB for "
            f"{figures['mb']:.0f} MB)"
        )
    return lines


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_seconds() -> tuple[float, float, float] | None:
    """(busy seconds of all cores, stolen seconds, CPU seconds of this process's finished
    children), or None without /proc/stat."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None
    ticks = [int(value) for value in stat.read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
    per_second = os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        (user + nice + system + irq + softirq) / per_second,
        steal / per_second,
        children.ru_utime + children.ru_stime,
    )


def interference(start: tuple[float, float, float] | None, seconds: float) -> str:
    """How busy the rest of the machine was while the reads ran: cores used by other processes
    on average, and the share of time the hypervisor took away."""
    end = cpu_seconds()
    if start is None or end is None or seconds <= 0:
        return "other processes: unknown (no /proc/stat)"
    busy, steal, ours = (after - before for after, before in zip(end, start, strict=True))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return (
        f"other processes used {max(busy - ours, 0.0) / seconds:.2f} cores on average during the "
        f"reads; steal {100 * steal / (seconds * cores):.1f}%"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--cols", type=int, default=DEFAULT_COLS)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="reads per reader (default 3)")
    parser.add_argument("--platforms", nargs="*", default=list(GENERATORS))
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_in_this_process(args.measure[0], Path(args.measure[1]))))
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name in args.platforms:
            generate, kind = GENERATORS[name]
            rows = args.xlsx_rows if kind == "xlsx" else args.rows
            paths[name] = settled(generate(Path(folder), rows, args.cols))
        print(f"{cores} cores; load average {load_average()} (1, 5, 15 min); {args.repeat} "
              "rounds over the readers, one read each per round")  # fmt: skip
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        start, started = cpu_seconds(), time.perf_counter()
        for _ in range(args.repeat):  # rounds, so that a busy spell hits every reader alike
            for name, path in paths.items():
                runs[name].append(measure(PLATFORM_OF.get(name, name), path))
        busy = interference(start, time.perf_counter() - started)
        results = {name: summary(runs[name], paths[name].stat().st_size) for name in paths}
    print(HEADER)
    for name, figures in results.items():
        print(row_line(name, figures))
    print(f"load average {load_average()}; {busy}")
    lines = target_lines(results)
    if lines:
        if (args.rows, args.cols) != (DEFAULT_ROWS, DEFAULT_COLS):
            print(f"(the targets are set for {DEFAULT_ROWS:,} x {DEFAULT_COLS}; at "
                  f"{args.rows:,} x {args.cols} the checks are indicative only)")  # fmt: skip
        print("\n".join(lines))
        missed = sum(line.startswith("MISS") for line in lines)
        print(f"{len(lines) - missed} of {len(lines)} CSV targets met")


if __name__ == "__main__":
    main()

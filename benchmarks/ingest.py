"""Ingest step, benchmark: generate large exports per platform in a temp dir and time each reader.

    uv run python benchmarks/ingest.py                      # 100k x 200 text/SPSS, 10k x 200 XLSX
    uv run python benchmarks/ingest.py --rows 20000 --platforms qualtrics surveymonkey

Each reader runs in a fresh subprocess, so its peak resident memory (VmHWM) is its own;
"base" is the subprocess's peak after imports and before reading. The wall time includes
hashing the file (sha256) and everything ``read_export`` does.
"""

from __future__ import annotations

import argparse
import json
import resource
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
    from transforms.readers import read_export

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=200)
    parser.add_argument("--xlsx-rows", type=int, default=10_000)
    parser.add_argument("--platforms", nargs="*", default=list(GENERATORS))
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_in_this_process(args.measure[0], Path(args.measure[1]))))
        return
    print(f"{'reader':22} {'rows':>8} {'cols':>5} {'MB':>7} {'wall s':>7} {'cpu s':>7} "
          f"{'rows/s':>9} {'peak MiB':>9} {'base MiB':>9}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for name in args.platforms:
            generate, kind = GENERATORS[name]
            rows = args.xlsx_rows if kind == "xlsx" else args.rows
            path = generate(Path(folder), rows, args.cols)
            result = measure(PLATFORM_OF.get(name, name), path)
            size = path.stat().st_size / 1e6
            print(
                f"{name:22} {result['rows']:>8.0f} {result['cols']:>5.0f} {size:>7.1f} "
                f"{result['wall']:>7.2f} {result['cpu']:>7.2f} "
                f"{result['rows'] / result['wall']:>9.0f} {result['peak']:>9.0f} "
                f"{result['base']:>9.0f}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()

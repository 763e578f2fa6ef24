"""Whole pipeline, benchmark: a Qualtrics wave of N respondents through the whole flow, timed
beside DuckDB's own CSV -> Parquet conversion of the same file.

    python3 tasks.py bench --respondents 10000  # = .venv/bin/python benchmarks/pipeline.py
    .venv/bin/python benchmarks/pipeline.py --respondents 10k,100k --rerun --json bench.json
    .venv/bin/python benchmarks/pipeline.py --sample           # the committed sample, then a re-run
    .venv/bin/python benchmarks/pipeline.py --respondents 300 --generate-only --out /tmp/bench

For each N the script writes, with a seeded generator (same N and seed -> identical bytes), a
survey folder modelled on the committed sample (data/raw/atmp2030): its codebook with only the
2022 wave, a Qualtrics CSV with the sample's three header rows and N data rows drawn from the
sample's 150 real rows and varied (unique response ids, e-mails, IP addresses and external
references, new dates, headcounts moved by one here and there, a few non-numbers such as
"10-15", 0.5 % previews; partial responses as often as in the sample), the reference files and
a population frame that fits (per sector x size cell, ceil(respondents / 0.6) organisations).
Then, in the same invocation and each in a fresh process:

1. DuckDB converts the CSV to Parquet (``COPY (SELECT * FROM read_csv(...)) TO ...``), timed
   inside its process, so that the figure is DuckDB's work without Python's start-up;
2. ``python -m flows.cli run --force`` runs the whole flow on it (with a temporary PREFECT_HOME
   and curated/reports folders), while a thread samples the resident memory (VmRSS) of the
   flow process and every process under it (the Prefect server it starts included) every
   0.15 s; "peak RSS" is the highest sum, "largest process" the peak of the single biggest
   process (from wait4's ru_maxrss);
3. with ``--rerun``, the same command without ``--force`` on the unchanged inputs.

Each run prints one markdown table row: wall seconds per stage (from the run's own
``--summary-json``; "other" = wall - the stages = interpreter and Prefect start-up and
shut-down), the peak memory, the ratio of the run's wall time to DuckDB's, the load average
before and after, and the checks (every table reconciles, curated + quarantined respondents =
N, the weighted n = the curated respondents). PASS/MISS lines follow for the targets one run
can judge, and with several N the growth of each stage against linear.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import platform
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path("data") / "raw" / "atmp2030"  # the committed sample, in the project
SAMPLE_DIR = ROOT / SAMPLE
WAVE = "2022"
EXPORT_NAME = "bench_qualtrics.csv"  # the generated export, in <survey>/<wave>/
DEFAULT_RESPONDENTS = 10_000
DEFAULT_SEED = 8

PREVIEW_SHARE = 0.005  # rows marked as Qualtrics previews (quarantined)
PLANTED_SHARE = 0.003  # rows with one headcount typed as text (quarantined at ingest)
PLANTED_VALUES = ("10-15", "5-10", "about 20")
NUDGE_SHARE = 0.3  # numeric headcount cells moved by +-1 (never below 0)
RESPONSE_RATE = 0.6  # frame: organisations = ceil(respondents / 0.6) per cell
CHUNK_ROWS = 50_000
SAMPLE_INTERVAL = 0.15  # seconds between memory samples

TARGET_RSS_BYTES = 6e9  # 1M respondents, peak RSS of the run's process tree
TARGET_DUCKDB_RATIO = 10.0  # 100k and 1M: wall <= 10x DuckDB's conversion
TARGET_LINEAR = 1.3  # stage cost growth / size growth, 10k -> 100k -> 1M
TARGET_SAMPLE_SECONDS = 30.0  # the sample end to end in a fresh process
TARGET_RERUN_SHARE = 0.25  # a re-run on unchanged inputs, of a full run
STAGES = ("prepare", "ingest", "validate", "model", "report")

RUN_ENV = {
    "SKILLGAP_SALT": "benchmark-salt",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "MPLBACKEND": "Agg",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}
ALPHABET = np.frombuffer((string.ascii_letters + string.digits).encode(), dtype=np.uint8)
PREVIEW_STATUSES = {"1", "Survey Preview"}


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """The sample export: header records verbatim, column names, the non-preview data rows."""

    header: str  # the header records exactly as in the file (BOM included)
    header_lines: int  # physical lines the header records take (DuckDB's skip)
    newline: str
    tags: list[str]  # row 1: export tags
    import_ids: list[str]  # row 3: ImportIds ("" where unreadable)
    rows: list[list[str]]  # data rows that are not previews
    preview_status: str  # how this export writes a preview's Status

    def position(self, ref: str) -> int:
        """The column a codebook reference names: ImportId first, then export tag."""
        for names in (self.import_ids, self.tags):
            if ref in names:
                return names.index(ref)
        raise KeyError(f"the template export has no column {ref!r}")

    def find(self, ref: str) -> int | None:
        try:
            return self.position(ref)
        except KeyError:
            return None


def load_template(path: Path, n_header: int = 3) -> Template:
    text = path.read_bytes().decode("utf-8")
    newline = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    header_rows = [next(reader) for _ in range(n_header)]
    header_lines = reader.line_num
    header = "\n".join(text.split("\n")[:header_lines]) + "\n"
    tags = [cell.lstrip("\ufeff") for cell in header_rows[0]]
    import_ids = [_import_id(cell) for cell in header_rows[2]]
    rows = [row for row in reader if row]
    status = tags.index("Status") if "Status" in tags else import_ids.index("status")
    real = [row for row in rows if row[status] not in PREVIEW_STATUSES]
    preview = "1" if all(row[status].isdigit() for row in real) else "Survey Preview"
    return Template(header, header_lines, newline, tags, import_ids, real, preview)


def _import_id(cell: str) -> str:
    try:
        value = json.loads(cell)
    except ValueError:
        return ""
    return str(value.get("ImportId", "")) if isinstance(value, dict) else ""


def quote(cell: str) -> str:
    """A CSV field as Qualtrics writes it: quoted only when it holds a comma, quote or newline."""
    if any(c in cell for c in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def codebook_wave_only(text: str, keep: str, waves: Sequence[str], export: str, note: str) -> str:
    """The codebook's text with every other wave's block removed (under ``waves:``, under
    each question, and the reviewed quotes of those waves, ``- wave: ...`` list items) and the
    kept wave's files replaced by ``export``; comments stay."""
    lines = text.split("\n")
    drop = [w for w in waves if w != keep]
    names = "|".join(re.escape(w) for w in drop)
    key = re.compile(r"^(\s*)(- wave: )?[\"']?(" + names + r")[\"']?\s*(:|$)")
    out: list[str] = []
    blanks: list[str] = []  # blank lines met while skipping: kept if the block ends there
    skip_indent: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if not line.strip():
                blanks.append(line)
                continue
            if indent > skip_indent:
                blanks = []
                continue
            skip_indent = None
            out += blanks
            blanks = []
        if drop and key.match(line):
            skip_indent = indent
            continue
        out.append(line)
    out += blanks
    edited = "\n".join(out)
    book = yaml.safe_load(edited)
    files = book["waves"][keep]["files"]
    for name in files:
        edited = edited.replace(str(name), export, 1)
    return note + edited


@dataclass
class Generated:
    """What generate_survey wrote."""

    root: Path
    survey_dir: Path
    export: Path
    frame: Path
    respondents: int
    seed: int
    previews: int
    planted: int
    cells: dict[tuple[str, str], int]  # (sector, size band) -> rows of the export
    skip_lines: int  # header lines before the first data record
    tags: list[str]
    seconds: float = 0.0

    @property
    def bytes(self) -> int:
        return self.export.stat().st_size


def generate_survey(
    root: Path, respondents: int, seed: int = DEFAULT_SEED, template_dir: Path = SAMPLE_DIR
) -> Generated:
    """Write <root>/<survey>/ (codebook, <wave>/bench_qualtrics.csv) and the reference files
    with a fitting population frame where the codebook's relative paths point (<root>/reference/
    for the sample). Same respondents and seed: identical bytes."""
    started = time.perf_counter()
    codebook_text = (template_dir / "survey.yaml").read_text(encoding="utf-8")
    book = yaml.safe_load(codebook_text)
    wave = book["waves"][WAVE]
    template = load_template(template_dir / wave["files"][0])
    survey_dir = root / template_dir.name
    (survey_dir / WAVE).mkdir(parents=True, exist_ok=True)

    sector_q = _question(book, "respondent.org_sector")
    size_q = _question(book, "respondent.org_size_band")
    sector_at = template.position(sector_q["waves"][WAVE]["column"])
    size_at = template.position(size_q["waves"][WAVE]["column"])
    pool = [
        row
        for row in template.rows
        if row[sector_at] in sector_q["value_map"] and row[size_at] in size_q["value_map"]
    ]
    template = replace(template, rows=pool)
    export = survey_dir / WAVE / EXPORT_NAME
    counts, previews, planted = write_export(export, template, book, respondents, seed)

    cells: dict[tuple[str, str], int] = {}
    for index, count in enumerate(counts):
        if count:
            cell = (
                str(sector_q["value_map"][pool[index][sector_at]]),
                str(size_q["value_map"][pool[index][size_at]]),
            )
            cells[cell] = cells.get(cell, 0) + int(count)
    frame = _write_reference(book, template_dir, survey_dir, root, cells)
    note = (
        f"# Benchmark copy written by benchmarks/pipeline.py ({respondents} respondents, seed "
        f"{seed})\n# from data/raw/{template_dir.name}/survey.yaml: wave {WAVE} only.\n"
    )
    edited = codebook_wave_only(
        codebook_text, WAVE, list(book["waves"]), f"{WAVE}/{EXPORT_NAME}", note
    )
    (survey_dir / "survey.yaml").write_text(edited, encoding="utf-8")
    return Generated(
        root=root,
        survey_dir=survey_dir,
        export=export,
        frame=frame,
        respondents=respondents,
        seed=seed,
        previews=previews,
        planted=planted,
        cells=cells,
        skip_lines=template.header_lines,
        tags=template.tags,
        seconds=time.perf_counter() - started,
    )


def _question(book: dict[str, Any], target: str) -> dict[str, Any]:
    for question in book["questions"]:
        if question["target"] == target and WAVE in question.get("waves", {}):
            return dict(question)
    raise KeyError(f"the codebook has no question for {target} in wave {WAVE}")


def _inside(root: Path, survey_dir: Path, name: str) -> Path:
    path = (survey_dir / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(root.resolve()):
        raise ValueError(f"reference path {name!r} must be relative and stay inside {root}")
    return path


def _write_reference(
    book: dict[str, Any],
    template_dir: Path,
    survey_dir: Path,
    root: Path,
    cells: dict[tuple[str, str], int],
) -> Path:
    """Copy the taxonomy files; write the population frame (codebook order of the codes)."""
    for name in (book.get("taxonomies") or {}).values():
        if name:
            target = _inside(root, survey_dir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template_dir / name, target)
    frame_name = book["survey"]["population_frame"]
    frame = _inside(root, survey_dir, frame_name)
    frame.parent.mkdir(parents=True, exist_ok=True)
    order = {
        name: {code: i for i, code in enumerate(book.get("codes", {}).get(name, {}))}
        for name in ("org_sector", "org_size_band")
    }
    ranked = sorted(
        cells,
        key=lambda c: (
            order["org_sector"].get(c[0], len(order["org_sector"])),
            c[0],
            order["org_size_band"].get(c[1], len(order["org_size_band"])),
            c[1],
        ),
    )
    lines = ["org_sector,org_size_band,organisations"]
    lines += [f"{s},{b},{max(cells[(s, b)], -(-cells[(s, b)] * 5 // 3))}" for s, b in ranked]
    assert RESPONSE_RATE == 0.6  # ceil(n / 0.6) = ceil(5n / 3), in integers
    frame.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return frame


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "-", folded.lower()).strip("-") or "x"


def _response_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct 15-character alphanumeric codes (bytes 'S15')."""
    codes = rng.integers(0, len(ALPHABET), (n, 15), dtype=np.uint8)
    while True:
        ids = np.ascontiguousarray(ALPHABET[codes]).view("S15").ravel()
        _, first = np.unique(ids, return_index=True)
        repeated = np.ones(n, dtype=bool)
        repeated[first] = False
        if not repeated.any():
            return ids
        codes[repeated] = rng.integers(0, len(ALPHABET), (int(repeated.sum()), 15), np.uint8)


def write_export(
    path: Path, template: Template, book: dict[str, Any], n: int, seed: int
) -> tuple[np.ndarray, int, int]:
    """Write the CSV; return rows per template row, previews and planted non-numbers."""
    rng = np.random.default_rng(seed)
    rows = template.rows
    n_t = len(rows)
    wave = book["waves"][WAVE]
    quoted = np.array([[quote(cell) for cell in row] for row in rows], dtype=object)

    # Respondents: template rows, start times within the fieldwork, export order by start.
    pick = rng.integers(0, n_t, n)
    generated: dict[int, Any] = {}  # column position -> function(slice, pick) -> list[str]
    start_at, end_at = template.find("StartDate"), template.find("EndDate")
    recorded_at = template.find(wave.get("submitted_at") or "RecordedDate")
    stamp_cols = [c for c in (start_at, end_at, recorded_at) if c is not None]
    if start_at is not None:
        stamps = np.array([[row[c] for c in stamp_cols] for row in rows], dtype="datetime64[s]")
        seconds = stamps.astype("int64")
        first = np.datetime64(str(wave.get("fieldwork_start") or stamps.min()), "s")
        last = np.datetime64(str(wave.get("fieldwork_end") or stamps.max()), "s")
        days = max(int((last - first) // np.timedelta64(86400, "s")), 1)
        of_day = (seconds[:, 0] - seconds[:, 0] // 86400 * 86400)[pick]
        jitter = rng.integers(-3600, 3601, n)
        start = rng.integers(0, days, n) * 86400 + np.clip(of_day + jitter, 0, 86399)
        order = np.argsort(start, kind="stable")
        pick, start = pick[order], start[order]
        offsets = seconds - seconds[:, :1]  # end and recorded relative to the start
        base = first.astype("int64")
        for k, column in enumerate(stamp_cols):
            values = base + start + offsets[pick, k]
            generated[column] = _stamp_renderer(values)
    preview = rng.random(n) < PREVIEW_SHARE
    ids = _response_ids(rng, n)
    id_at = template.find(wave.get("respondent_id") or "ResponseId")
    if id_at is not None:
        generated[id_at] = lambda s, p: ["R_" + v for v in ids[s].astype("U15").tolist()]

    # Platform status and channel: previews as the sample writes them.
    status_at = template.position("Status") if "Status" in template.tags else None
    if status_at is not None:
        generated[status_at] = _masked(quoted[:, status_at], preview, template.preview_status)
    channel_at = template.find("DistributionChannel")
    if channel_at is not None:
        generated[channel_at] = _masked(quoted[:, channel_at], preview, "preview")

    # Personal columns: unique where the template row has a value, empty on previews.
    serial = rng.permutation(n) + 1
    firsts, lasts = (_values(template, tag) for tag in ("RecipientFirstName", "RecipientLastName"))
    first_i = rng.integers(0, max(len(firsts), 1), n)
    last_i = rng.integers(0, max(len(lasts), 1), n)
    width_ref = max(4, len(str(n)))
    email_at = template.find("RecipientEmail")
    domains = [
        (row[email_at].rpartition("@")[2] if email_at is not None else "") or "example.se"
        for row in rows
    ]
    personal = {
        "IPAddress": lambda s, p: [
            f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}" for k in serial[s].tolist()
        ],
        "RecipientFirstName": lambda s, p: [quote(firsts[i]) for i in first_i[s].tolist()],
        "RecipientLastName": lambda s, p: [quote(lasts[i]) for i in last_i[s].tolist()],
        "RecipientEmail": lambda s, p: [
            f"{_ascii(firsts[f])}.{_ascii(lasts[la])}.{k}@{domains[t]}"
            for f, la, k, t in zip(
                first_i[s].tolist(), last_i[s].tolist(), serial[s].tolist(), p.tolist(), strict=True
            )
        ],
        "ExternalReference": lambda s, p: [
            f"ATMP-CRM-{k:0{width_ref}d}" for k in serial[s].tolist()
        ],
    }
    for tag, make in personal.items():
        at = template.find(tag)
        if at is None or (tag.startswith("Recipient") and not (firsts and lasts)):
            continue
        has_value = np.array([bool(row[at]) for row in rows])
        generated[at] = _personal(make, has_value, preview)

    # Headcounts: every numeric grid of the wave; nudged, empties kept, a few non-numbers.
    grid_cols = [
        template.position(ref)
        for q in book["questions"]
        if q["type"] == "numeric_grid" and WAVE in q.get("waves", {})
        for ref in (q["waves"][WAVE].get("items") or {}).values()
    ]
    planted = 0
    if grid_cols:
        cells = np.array(
            [[_count(row[c]) for c in grid_cols] for row in rows], dtype=np.int32
        )  # -1 empty, -2 not a number (kept from the template)
        values = cells[pick]
        nudge = rng.choice(
            np.array([-1, 0, 1], dtype=np.int8),
            size=values.shape,
            p=[NUDGE_SHARE / 2, 1 - NUDGE_SHARE, NUDGE_SHARE / 2],
        )
        values = np.where(values >= 0, np.maximum(values + nudge, 0), values)
        typed = np.flatnonzero(rng.random(n) < PLANTED_SHARE)
        which = rng.integers(0, len(grid_cols), typed.size)
        kind = rng.integers(0, len(PLANTED_VALUES), typed.size)
        values[typed, which] = -3 - kind
        planted = int((values <= -2).any(axis=1).sum())
        numbers = np.array([str(v) for v in range(int(values.max(initial=0)) + 1)], dtype=object)
        for k, column in enumerate(grid_cols):
            generated[column] = _count_renderer(values[:, k], numbers, quoted[:, column])

    _write_rows(path, template, quoted, generated, pick, n)
    return np.bincount(pick, minlength=n_t), int(preview.sum()), planted


def _values(template: Template, tag: str) -> list[str]:
    """The distinct non-empty values of a column of the template, sorted."""
    column = template.find(tag)
    return [] if column is None else sorted({row[column] for row in template.rows if row[column]})


def _count(cell: str) -> int:
    if not cell.strip():
        return -1
    return int(cell) if cell.strip().isdigit() else -2


def _stamp_renderer(values: np.ndarray) -> Any:
    def render(s: slice, p: np.ndarray) -> list[str]:
        text = np.datetime_as_string(values[s].astype("datetime64[s]"), unit="s")
        return [v.replace("T", " ") for v in text.tolist()]

    return render


def _masked(column: np.ndarray, mask: np.ndarray, value: str) -> Any:
    def render(s: slice, p: np.ndarray) -> list[str]:
        out = column[p]
        out[mask[s]] = value
        return list(out.tolist())

    return render


def _personal(make: Any, has_value: np.ndarray, preview: np.ndarray) -> Any:
    def render(s: slice, p: np.ndarray) -> list[str]:
        out = np.array(make(s, p), dtype=object)
        out[~has_value[p] | preview[s]] = ""
        return list(out.tolist())

    return render


def _count_renderer(values: np.ndarray, numbers: np.ndarray, template_cells: np.ndarray) -> Any:
    def render(s: slice, p: np.ndarray) -> list[str]:
        v = values[s]
        out = numbers[np.clip(v, 0, None)]
        out[v == -1] = ""
        out[v == -2] = template_cells[p[v == -2]]
        for k, text in enumerate(PLANTED_VALUES):
            out[v == -3 - k] = text
        return list(out.tolist())

    return render


def _write_rows(
    path: Path,
    template: Template,
    quoted: np.ndarray,
    generated: dict[int, Any],
    pick: np.ndarray,
    n: int,
) -> None:
    """Rows in chunks: runs of columns copied from the template are joined once per template
    row, the generated columns rendered per chunk, every line joined once."""
    parts: list[tuple[str, Any]] = []
    run: list[int] = []
    for column in range(len(template.tags)):
        if column in generated:
            if run:
                parts.append(("template", _joined(quoted, run)))
                run = []
            parts.append(("generated", generated[column]))
        else:
            run.append(column)
    if run:
        parts.append(("template", _joined(quoted, run)))
    newline = template.newline
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(template.header)
        for begin in range(0, n, CHUNK_ROWS):
            s = slice(begin, min(begin + CHUNK_ROWS, n))
            p = pick[s]
            columns = [
                segment[p].tolist() if kind == "template" else segment(s, p)
                for kind, segment in parts
            ]
            handle.write(
                newline.join(",".join(cells) for cells in zip(*columns, strict=True)) + newline
            )
        handle.flush()
        os.fsync(handle.fileno())  # written back now, not during the timed runs


def _joined(quoted: np.ndarray, columns: list[int]) -> np.ndarray:
    return np.array([",".join(row) for row in quoted[:, columns].tolist()], dtype=object)


def check_read(path: Path) -> int | None:
    """Data rows the project's reader finds in the export (None if the reader is not there)."""
    try:
        from transforms.ingest.readers import read_export
    except ImportError:
        return None
    return len(read_export(path).data)


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session id) of every process."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry.name}/stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        table[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return table


def _status_kib(pid: int) -> tuple[int, int, str] | None:
    """(VmRSS, VmHWM, name) of a process in KiB, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {"VmRSS": 0, "VmHWM": 0}
    name = ""
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
        elif key == "Name":
            name = rest.strip()
    return values["VmRSS"], values["VmHWM"], name


def _cmdline(pid: int) -> str:
    try:
        parts = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    return " ".join(p.decode(errors="replace") for p in parts[:4] if p)[:80]


class TreeSampler(threading.Thread):
    """Samples the summed VmRSS of a process, its descendants and its session."""

    def __init__(
        self,
        root: int,
        interval: float = SAMPLE_INTERVAL,
        limit_bytes: float | None = None,
        on_limit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.limit_kib = limit_bytes / 1024 if limit_bytes else None
        self.on_limit = on_limit
        self.stopped = threading.Event()
        self.peak_kib = 0
        self.samples = 0
        self.max_processes = 0
        self.hwm: dict[int, tuple[int, str]] = {}  # pid -> (highest VmHWM seen, command)
        self.timeline: list[tuple[float, int]] = []  # (epoch seconds, summed VmRSS KiB)

    def tree(self) -> set[int]:
        table = _proc_table()
        members = {self.root} | {pid for pid, (_, sid) in table.items() if sid == self.root}
        grew = True
        while grew:
            more = {pid for pid, (ppid, _) in table.items() if ppid in members} - members
            members |= more
            grew = bool(more)
        return {pid for pid in members if pid in table}

    def run(self) -> None:
        while not self.stopped.is_set():
            total = 0
            members = self.tree()
            for pid in members:
                status = _status_kib(pid)
                if status is None:
                    continue
                rss, hwm, name = status
                total += rss
                if pid not in self.hwm:
                    self.hwm[pid] = (hwm, _cmdline(pid) or name)
                elif hwm > self.hwm[pid][0]:
                    self.hwm[pid] = (hwm, self.hwm[pid][1])
            self.peak_kib = max(self.peak_kib, total)
            self.timeline.append((time.time(), total))
            if self.limit_kib and total > self.limit_kib and self.on_limit is not None:
                threading.Thread(target=self.on_limit, daemon=True).start()
                self.on_limit = None
            self.max_processes = max(self.max_processes, len(members))
            self.samples += 1
            self.stopped.wait(self.interval)


def load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def cpu_ticks() -> tuple[float, float] | None:
    """(busy seconds of all cores, seconds the hypervisor stole), None without /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first.split()[1:9])
    per_second = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / per_second, steal / per_second


TASK_STAGES = (  # Prefect task run name (prefix) -> stage of the run summary
    ("load codebook", "prepare"),
    ("check ", "prepare"),
    ("ingest", "ingest"),
    ("validate", "validate"),
    ("model", "model"),
    ("report", "report"),
)
LOG_LINE = re.compile(
    r"^(\d\d):(\d\d):(\d\d\.\d+) \| \w+ +\| (?:Task run '([^']+)' - Finished in state "
    r"(\w+)|Flow run .* - Beginning flow run)",
    re.MULTILINE,
)


def log_events(log: Path, started: float) -> list[tuple[float, str, str]]:
    """(epoch seconds, stage, state) of the flow run's start ("start-up", "Began") and of every
    task run's end, from the flow's log. Its clock times are local; a run may cross midnight."""
    start = time.localtime(started)
    midnight = int(started) - (start.tm_hour * 3600 + start.tm_min * 60 + start.tm_sec)
    events: list[tuple[float, str, str]] = []
    text = log.read_text(errors="replace") if log.exists() else ""
    for match in LOG_LINE.finditer(text):
        hours, minutes, seconds, task, state = match.groups()
        at = midnight + int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        while (events and at < events[-1][0] - 1) or at < started - 60:
            at += 86400
        if task is None:
            events.append((at, "start-up", "Began"))
        else:
            stage = next((st for prefix, st in TASK_STAGES if task.startswith(prefix)), task)
            events.append((at, stage, state))
    return events


def stages_from_log(events: list[tuple[float, str, str]]) -> dict[str, float]:
    """Seconds per stage from the log, counting only task runs that completed: from the end of
    the event before a task's end to its end (the summary's stage clock, within milliseconds)."""
    spans: dict[str, tuple[float, float]] = {}
    for (before, _, _), (at, stage, state) in itertools.pairwise(events):
        if state != "Completed":
            continue
        first, _ = spans.get(stage, (before, at))
        spans[stage] = (first, at)
    return {stage: round(end - begin, 3) for stage, (begin, end) in spans.items()}


def peak_by_stage(
    events: list[tuple[float, str, str]], timeline: list[tuple[float, int]]
) -> dict[str, int]:
    """Peak summed RSS (bytes) per stage: each memory sample goes to the stage of the first log
    event after it ("start-up" before the flow run begins, "shut-down" after the last task)."""
    peaks: dict[str, int] = {}
    index = 0
    for at, kib in timeline:
        while index < len(events) and events[index][0] < at:
            index += 1
        stage = events[index][1] if index < len(events) else "shut-down"
        peaks[stage] = max(peaks.get(stage, 0), kib * 1024)
    return peaks


def memory_limit(gb: float | None) -> float | None:
    """Bytes a run may hold: ``gb`` if given (0: no limit), else 90 % of MemAvailable now, at
    most 85 % of RAM (other work on the machine keeps its memory)."""
    if gb is not None:
        return gb * 1e9 if gb > 0 else None
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        found = re.search(r"MemAvailable:\s+(\d+)", Path("/proc/meminfo").read_text())
    except OSError:
        found = None
    available = int(found.group(1)) * 1024 if found else ram
    return min(0.9 * available, 0.85 * ram)


def last_finished_task(events: list[tuple[float, str, str]]) -> str | None:
    """The stage of the last task run that completed (where a stopped run had got to)."""
    done = [stage for _, stage, state in events if state == "Completed"]
    return done[-1] if done else None


def run_flow(
    project: Path,
    survey_dir: Path,
    work: Path,
    prefect_home: Path,
    *,
    force: bool,
    label: str,
    timeout: float | None,
    max_rss: float | None,
) -> dict[str, Any]:
    """One `skillgap run` in a fresh process: wall, stages, memory, summary, load average.

    Stopped (its whole session killed) after ``timeout`` seconds or once the process tree's
    resident memory exceeds ``max_rss`` bytes."""
    summary_path = work / f"summary_{label}.json"
    summary_path.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        "--survey-dir",
        str(survey_dir),
        "--curated-dir",
        str(work / "curated"),
        "--reports-dir",
        str(work / "reports"),
        "--summary-json",
        str(summary_path),
    ] + (["--force"] if force else [])
    env = {**os.environ, **RUN_ENV, "PREFECT_HOME": str(prefect_home)}
    log_path = work / f"flow_{label}.log"
    load_before = load_average()
    ticks_before = cpu_ticks()
    stopped_for: list[str] = []
    with log_path.open("w") as log:
        epoch = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def stop(reason: str) -> None:
            stopped_for.append(f"{reason} after {time.perf_counter() - started:.0f} s")
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(process.pid, sig)  # the session this run started, only
                except ProcessLookupError:
                    return
                time.sleep(5)

        limit = f"memory over {max_rss / 1e9:.1f} GB" if max_rss else ""
        sampler = TreeSampler(process.pid, limit_bytes=max_rss, on_limit=lambda: stop(limit))
        sampler.start()
        timer = threading.Timer(timeout, stop, args=("timeout",)) if timeout else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if timer is not None:
            timer.cancel()
        sampler.stopped.set()
        sampler.join()
    ticks_after = cpu_ticks()
    cpu = usage.ru_utime + usage.ru_stime
    other_cores = steal = None
    if ticks_before and ticks_after and wall > 0:
        other_cores = round(max(ticks_after[0] - ticks_before[0] - cpu, 0.0) / wall, 2)
        steal = round((ticks_after[1] - ticks_before[1]) / wall, 2)
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else None
    stages = {name: float(sec) for name, sec in (summary or {}).get("stage_seconds", {}).items()}
    biggest = sorted(sampler.hwm.values(), reverse=True)[:3]
    events = log_events(log_path, epoch)
    return {
        "label": label,
        "force": force,
        "returncode": process.returncode,
        "stopped": "; ".join(stopped_for) or None,
        "max_rss_bytes": max_rss,
        "last_finished_task": last_finished_task(events),
        "wall_s": round(wall, 3),
        "stage_s": stages,
        "stage_s_from_log": stages_from_log(events),  # also for a run stopped half-way
        "other_s": round(wall - sum(stages.values()), 3) if stages else None,
        "cpu_s": round(cpu, 2),
        "other_processes_cores": other_cores,  # CPU the rest of the machine used meanwhile
        "steal_cores": steal,
        "peak_rss_tree_bytes": sampler.peak_kib * 1024,
        "peak_rss_by_stage_bytes": peak_by_stage(events, sampler.timeline),
        "largest_process_bytes": usage.ru_maxrss * 1024,  # wait4: the child or its reaped children
        "flow_process_hwm_bytes": sampler.hwm.get(process.pid, (0, ""))[0] * 1024,
        "processes": [{"vm_hwm_bytes": kib * 1024, "command": cmd} for kib, cmd in biggest],
        "max_processes": sampler.max_processes,
        "memory_samples": sampler.samples,
        "load_before": load_before,
        "load_after": load_average(),
        "summary": summary,
        "log": str(log_path),
    }


def duckdb_sql(generated: Generated, parquet: Path) -> str:
    names = ", ".join("'" + tag.replace("'", "''") + "'" for tag in generated.tags)
    csv_path = str(generated.export).replace("'", "''")
    target = str(parquet).replace("'", "''")
    # Our own paths and the template's tags, quotes doubled: COPY takes no bound parameters.
    reader = (
        f"read_csv('{csv_path}', skip={generated.skip_lines}, header=false, names=[{names}], "
        "delim=',', quote='\"', escape='\"', all_varchar=true)"
    )
    return f"COPY (SELECT * FROM {reader}) TO '{target}' (FORMAT parquet)"  # noqa: S608


def duckdb_copy_in_this_process(sql: str) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    started = time.perf_counter()
    row = con.execute(sql).fetchone()
    seconds = time.perf_counter() - started
    threads = con.execute("SELECT current_setting('threads')").fetchone()
    hwm = (_status_kib(os.getpid()) or (0, 0, ""))[1]
    return {
        "seconds": round(seconds, 3),
        "rows": int(row[0]) if row else None,
        "threads": int(threads[0]) if threads else None,
        "peak_bytes": hwm * 1024,
        "version": duckdb.__version__,
    }


def duckdb_copy(generated: Generated, work: Path) -> dict[str, Any]:
    parquet = work / "duckdb_copy.parquet"
    sql = duckdb_sql(generated, parquet)
    load_before = load_average()
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--duckdb-copy", sql],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures = dict(json.loads(result.stdout.strip().splitlines()[-1]))
    figures["process_wall_s"] = round(time.perf_counter() - started, 3)
    figures["parquet_bytes"] = parquet.stat().st_size
    figures["load_before"] = load_before
    names = sql[sql.index("names=[") : sql.index("]", sql.index("names=[")) + 1]
    figures["sql"] = (
        sql.replace(str(generated.export), "<file>")
        .replace(str(parquet), "<out>")
        .replace(names, f"names=[<the {len(generated.tags)} export tags of row 1>]")
    )
    parquet.unlink()
    return figures


# --------------------------------------------------------------------------------------------
# Checks and output
# --------------------------------------------------------------------------------------------


def checks(run: dict[str, Any], respondents: int | None) -> dict[str, bool | None]:
    summary = run.get("summary")
    if not summary or run["returncode"] != 0:
        return {"ran": False, "reconciled": None, "respondents": None, "weighted_n": None}
    recon = summary["reconciliation"]
    reconciled = bool(recon) and all(
        r["reconciled"] and r["rows_in"] == r["rows_curated"] + r["rows_quarantined"] for r in recon
    )
    people = [r for r in recon if r["table_name"] == "respondent"]
    curated = {r["wave"]: r["rows_curated"] for r in people}
    count_ok = None
    if respondents is not None:
        count_ok = sum(r["rows_curated"] + r["rows_quarantined"] for r in people) == respondents
    weights = {w["wave"]: w["n_respondents"] for w in summary["weighting"]}
    weighted_ok = bool(curated) and all(weights.get(w) == n for w, n in curated.items())
    return {
        "ran": True,
        "reconciled": reconciled,
        "respondents": count_ok,
        "weighted_n": weighted_ok,
    }


def _gb(value: float) -> str:
    return f"{value / 1e9:.2f} GB"


def _load(values: Sequence[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _mark(ok: bool | None) -> str:
    return {True: "ok", False: "FAILED", None: "-"}[ok]


TABLE_HEADER = (
    "| respondents | file | DuckDB s | run | wall s | "
    + " | ".join(STAGES)
    + " | other | CPU s | peak RSS (tree) | × file | largest process | wall ÷ DuckDB "
    "| load before | load after | others' cores | reconciled | respondents = N | weighted n |\n"
    "|---:|---:|---:|---|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|---:|---:|---:|---|---|"
    "---:|---|---|---|"
)


def table_row(result: dict[str, Any], run: dict[str, Any]) -> str:
    n, size = result.get("respondents"), result.get("file_bytes")
    duck = result.get("duckdb", {}).get("seconds")
    stages, check, peak = run["stage_s"], run["checks"], run["peak_rss_tree_bytes"]
    state = ""
    if run["returncode"] != 0:
        state = f" (stopped: {run['stopped']})" if run["stopped"] else " (failed)"
    others = run.get("other_processes_cores")
    cells = [
        f"{n:,}" if n else "sample",
        f"{size / 1e6:.1f} MB" if size else "-",
        f"{duck:.2f}" if duck is not None else "-",
        run["label"] + state,
        f"{run['wall_s']:.1f}",
        *(f"{stages[s]:.1f}" if s in stages else "-" for s in STAGES),
        "-" if run["other_s"] is None else f"{run['other_s']:.1f}",
        f"{run['cpu_s']:.0f}",
        _gb(peak),
        f"{peak / size:.1f}×" if size else "-",
        _gb(run["largest_process_bytes"]),
        f"{run['wall_s'] / duck:.1f}×" if duck else "-",
        _load(run["load_before"]),
        _load(run["load_after"]),
        "-" if others is None else f"{others:.2f}",
        _mark(check["reconciled"]),
        _mark(check["respondents"]),
        _mark(check["weighted_n"]),
    ]
    return "| " + " | ".join(cells) + " |"


def target_lines(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for result in results:
        n = result.get("respondents")
        full = result["runs"][0]
        name = f"{n:>9,}" if n is not None else "   sample"
        if full["returncode"] != 0:
            why = full["stopped"] or f"exit {full['returncode']}"
            lines.append(
                f"MISS  {name}  the full run did not finish: {why} (last task finished: "
                f"{full['last_finished_task']}; log {full['log']})"
            )
            continue
        if n is not None:
            duck = result["duckdb"]["seconds"]
            ratio = full["wall_s"] / duck
            at = "" if n in (100_000, 1_000_000) else " (target set at 100k and 1M)"
            lines.append(
                f"{'PASS' if ratio <= TARGET_DUCKDB_RATIO else 'MISS'}  {name}  wall "
                f"{full['wall_s']:.1f} s = {ratio:.1f}× DuckDB's {duck:.2f} s "
                f"(target ≤ {TARGET_DUCKDB_RATIO:g}×){at}"
            )
            peak = full["peak_rss_tree_bytes"]
            at = "" if n == 1_000_000 else " (target set at 1M)"
            lines.append(
                f"{'PASS' if peak <= TARGET_RSS_BYTES else 'MISS'}  {name}  peak RSS "
                f"{_gb(peak)} (target ≤ {_gb(TARGET_RSS_BYTES)}){at}"
            )
        else:
            lines.append(
                f"{'PASS' if full['wall_s'] <= TARGET_SAMPLE_SECONDS else 'MISS'}  {name}  "
                f"end to end in a fresh process {full['wall_s']:.1f} s "
                f"(target ≤ {TARGET_SAMPLE_SECONDS:g} s)"
            )
        for rerun in result["runs"][1:]:
            share = rerun["wall_s"] / full["wall_s"]
            ok = rerun["returncode"] == 0 and share <= TARGET_RERUN_SHARE
            lines.append(
                f"{'PASS' if ok else 'MISS'}  {name}  re-run on unchanged inputs "
                f"{rerun['wall_s']:.1f} s = {share:.0%} of the full run "
                f"(target ≤ {TARGET_RERUN_SHARE:.0%})"
            )
        failed = [k for k, v in full["checks"].items() if v is False]
        if failed:
            lines.append(f"MISS  {name}  checks failed: {', '.join(failed)}")
    return lines


def growth_lines(results: list[dict[str, Any]]) -> list[str]:
    """Each stage's cost growth over the size growth between consecutive sizes. A run stopped
    half-way counts with the stages it completed (their seconds from the flow's log)."""

    def figures(result: dict[str, Any]) -> dict[str, float]:
        full = result["runs"][0]
        if full["returncode"] == 0:
            return {**full["stage_s"], "wall": full["wall_s"]}
        return {k: v for k, v in full["stage_s_from_log"].items() if k in STAGES}

    done = sorted(
        (r for r in results if r.get("respondents") and r["runs"] and figures(r)),
        key=lambda r: r["respondents"],
    )
    lines = []
    for small, large in itertools.pairwise(done):
        size = large["respondents"] / small["respondents"]
        before, after = figures(small), figures(large)
        parts, worst = [], 0.0
        for stage in (*STAGES, "wall"):
            if not before.get(stage) or stage not in after:
                continue
            factor = after[stage] / before[stage] / size
            if stage != "wall":
                worst = max(worst, factor)
            parts.append(f"{stage} {factor:.2f}")
        stopped = large["runs"][0]["returncode"] != 0
        lines.append(
            f"{'PASS' if worst <= TARGET_LINEAR and not stopped else 'MISS'}  "
            f"{small['respondents']:,} -> {large['respondents']:,}: cost growth ÷ size growth "
            f"({size:g}×) per stage: {', '.join(parts)} (target ≤ {TARGET_LINEAR:g} for every "
            f"stage{'; the larger run stopped: the stages it completed' if stopped else ''})"
        )
    return lines


def machine(project: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    dirty = git("status", "--porcelain", "--", "transforms", "flows")
    return {
        "project": str(project),
        "commit": git("rev-parse", "--short=12", "HEAD"),
        "code_changed_since_commit": bool(dirty),
        "cores": cores,
        "memory_bytes": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def parse_sizes(values: Sequence[str]) -> list[int]:
    sizes = []
    for value in values:
        for part in value.split(","):
            text = part.strip().lower().replace("_", "")
            if not text:
                continue
            scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
            number = float(text[:-1]) if scale > 1 else float(text)
            sizes.append(int(number * scale))
    if any(n < 1 for n in sizes):
        raise SystemExit("--respondents must be positive")
    return sizes


def bench_size(n: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    root = out / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    generated = generate_survey(root, n, seed=args.seed, template_dir=args.project / SAMPLE)
    print(
        f"\n{n:,} respondents: wrote {generated.export} ({generated.bytes / 1e6:.1f} MB, "
        f"{generated.previews} previews, {generated.planted} rows with a non-number, "
        f"{len(generated.cells)} frame cells) in {generated.seconds:.1f} s",
        flush=True,
    )
    result: dict[str, Any] = {
        "respondents": n,
        "seed": args.seed,
        "file_bytes": generated.bytes,
        "generate_s": round(generated.seconds, 2),
        "previews": generated.previews,
        "planted_rows": generated.planted,
        "runs": [],
    }
    if args.generate_only:
        read = check_read(generated.export) if n <= 100_000 else None
        if read is not None:
            print(f"  the project's reader reads {read:,} data rows{'' if read == n else ' (!)'}")
        return result
    result["duckdb"] = duckdb_copy(generated, root)
    duck = result["duckdb"]
    print(
        f"  DuckDB COPY: {duck['seconds']:.2f} s ({duck['rows']:,} rows, {duck['threads']} "
        f"threads, peak {_gb(duck['peak_bytes'])})",
        flush=True,
    )
    if duck["rows"] != n:
        print(f"  WARNING: DuckDB read {duck['rows']} rows, not {n}")
    home = root / "prefect"
    labels = [("full", True)] + ([("rerun", False)] if args.rerun else [])
    for label, force in labels:
        run = run_flow(
            args.project,
            generated.survey_dir,
            root,
            home,
            force=force,
            label=label,
            timeout=args.timeout,
            max_rss=memory_limit(args.max_rss),
        )
        run["checks"] = checks(run, n)
        result["runs"].append(run)
        print("  " + run_line(run), flush=True)
        if run["returncode"] != 0:
            print(f"  the run failed; last lines of {run['log']}:")
            print("    " + "\n    ".join(_tail(Path(run["log"]))))
            break
    return result


def bench_sample(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    root = out / "sample"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    sample = args.project / SAMPLE
    result: dict[str, Any] = {"respondents": None, "survey_dir": str(sample), "runs": []}
    print(f"\nsample {sample}: full run, then a re-run on unchanged inputs", flush=True)
    for label, force in (("full", True), ("rerun", False)):
        run = run_flow(
            args.project,
            sample,
            root,
            root / "prefect",
            force=force,
            label=label,
            timeout=args.timeout,
            max_rss=memory_limit(args.max_rss),
        )
        run["checks"] = checks(run, None)
        result["runs"].append(run)
        print("  " + run_line(run), flush=True)
        if run["returncode"] != 0:
            print("    " + "\n    ".join(_tail(Path(run["log"]))))
            break
    return result


def run_line(run: dict[str, Any]) -> str:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stage_s"].items()) or "no summary"
    stopped = f" (stopped: {run['stopped']})" if run["stopped"] else ""
    if run["returncode"] != 0:
        logged = ", ".join(f"{k} {v:.1f}" for k, v in run["stage_s_from_log"].items())
        stages += f"; completed, from the log: {logged or 'nothing'}"
    others = run.get("other_processes_cores")
    return (
        f"{run['label']} run: exit {run['returncode']}{stopped}, wall {run['wall_s']:.1f} s "
        f"({stages}; other {run['other_s']} s), peak RSS tree {_gb(run['peak_rss_tree_bytes'])}"
        f", largest process {_gb(run['largest_process_bytes'])}, load {_load(run['load_after'])}"
        f", other processes used {others} cores meanwhile\n    peak RSS by stage: "
        + ", ".join(f"{k} {_gb(v)}" for k, v in run["peak_rss_by_stage_bytes"].items())
    )


def _tail(path: Path, lines: int = 15) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=" ".join((__doc__ or "").split("\n\n")[0].split()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + (__doc__ or "").split("\n\n")[1] + "\n\nSee docs/PERFORMANCE.md.",
    )
    parser.add_argument(
        "--respondents",
        action="append",
        default=[],
        metavar="N",
        help=f"respondents per generated wave; repeatable or comma list, 10k and 1M allowed "
        f"(default {DEFAULT_RESPONDENTS:,} unless --sample)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="generator seed (%(default)s)"
    )
    parser.add_argument("--out", type=Path, help="folder to write into (kept); default: temp")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--rerun", action="store_true", help="also re-run on unchanged inputs")
    parser.add_argument("--sample", action="store_true", help="time the committed sample")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--timeout", type=float, help="seconds after which a run is stopped")
    parser.add_argument(
        "--max-rss",
        type=float,
        metavar="GB",
        help="stop a run whose process tree holds more resident memory than this, before the "
        "machine runs out (default: 90%% of the memory available when the run starts, at most "
        "85%% of RAM; 0: never)",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="checkout whose flows/ and transforms/ run (the flow's working folder), e.g. a "
        "clone at a fixed commit; default: this one",
    )
    parser.add_argument(
        "--task-runner",
        choices=["threads", "processes", "dask"],
        help="the flow's task runner (SKILLGAP_TASK_RUNNER; dask: a local cluster of "
        "SKILLGAP_DASK_WORKERS processes, 2 unless set); default: the flow's own (threads)",
    )
    parser.add_argument("--generate-only", action="store_true", help="write the surveys, stop")
    parser.add_argument("--duckdb-copy", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duckdb_copy:
        print(json.dumps(duckdb_copy_in_this_process(args.duckdb_copy)))
        return 0
    sizes = parse_sizes(args.respondents)
    if not sizes and not args.sample:
        sizes = [DEFAULT_RESPONDENTS]
    out = args.out or Path(tempfile.mkdtemp(prefix="skillgap-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    args.project = args.project.resolve()
    info = machine(args.project)
    if args.task_runner:  # every flow process below inherits it (run_flow)
        os.environ["SKILLGAP_TASK_RUNNER"] = info["task_runner"] = args.task_runner
    changed = " + uncommitted changes" if info["code_changed_since_commit"] else ""
    print(
        f"code {info['commit']}{changed} in {args.project}"
        f"; task runner {os.environ.get('SKILLGAP_TASK_RUNNER', 'threads')}"
        f"; {info['cores']} cores, {info['memory_bytes'] / 2**30:.0f} GiB; load average "
        f"{_load(load_average())} (1, 5, 15 min); output in {out}",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    try:
        if args.sample:
            results.append(bench_sample(args, out))
        for n in sizes:
            results.append(bench_size(n, args, out))
    finally:
        if not (args.out or args.keep or args.generate_only):
            shutil.rmtree(out, ignore_errors=True)
        elif not args.out:
            print(f"kept {out}")
    if args.generate_only:
        return 0
    print("\n" + TABLE_HEADER)
    for result in results:
        for run in result["runs"]:
            print(table_row(result, run))
    duck = next((r["duckdb"] for r in results if "duckdb" in r), None)
    if duck:
        print(f"\nDuckDB {duck['version']}: {duck['sql']}")
    lines = target_lines(results) + growth_lines(results)
    print("\n" + "\n".join(lines))
    print(f"load average at the end {_load(load_average())}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "results": results, "targets": lines}
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    failed = any(not r["runs"] or r["runs"][0]["returncode"] != 0 for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

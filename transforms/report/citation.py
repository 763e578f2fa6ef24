"""Report step, citation: who publishes a report, when, under which licence, how to cite it,
and the "Source: …" line under each of its tables and charts.

Everything comes from the codebook's survey metadata (`survey.publisher`, `source_name`,
`contact`, `licence`, `url`) and the wave's `published` date and `version`; what the codebook
leaves out is left out of the report, never made up. A report without a publication date is a
draft, and its citation says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from transforms.ingest.codebook import Codebook

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: date) -> str:
    """'7 March 2022', whatever the process locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Citation:
    """How one report (a wave's, or the trend report) is published and cited."""

    title: str  # the survey's title
    edition: str  # "report of wave 2022", "trend report, waves 2022 and 2024"
    source_name: str  # the survey as the Source lines name it
    waves_label: str  # "wave 2022", "waves 2022 and 2024"
    publisher: str | None = None
    contact: str | None = None
    licence: str | None = None
    url: str | None = None
    published: date | None = None
    version: str | None = None

    @property
    def published_text(self) -> str:
        return long_date(self.published) if self.published else "Not yet published (draft)"

    @property
    def reference(self) -> str:
        """The suggested citation: publisher (or title) (year). Title: edition, version. URL."""
        year = str(self.published.year) if self.published else "draft, not yet published"
        author = self.publisher or self.title
        parts = [f"{author} ({year}). {self.title}: {self.edition}"]
        if self.version:
            parts[0] += f", version {self.version}"
        parts[0] += "."
        if self.url:
            parts.append(self.url)
        return " ".join(parts)

    def source(self, base: str = "", waves: Sequence[str] = ()) -> str:
        """'Source: <survey>, wave 2022; n = 150 organisations answering.' `waves`: the waves
        a table compares, when they are not the report's own."""
        line = f"Source: {self.source_name}, {waves_label(waves) if waves else self.waves_label}"
        return f"{line}; {base}." if base else f"{line}."


def citation(codebook: Codebook, waves: list[str], *, trend: bool = False) -> Citation:
    """The citation of the report of `waves` (one wave, or every wave for the trend report):
    its date and version are those of the newest of them."""
    survey = codebook.survey
    newest = codebook.waves[waves[-1]]
    label = waves_label(waves)
    edition = f"trend report, {label}" if trend else f"report of {label}"
    return Citation(
        title=survey.title,
        edition=edition,
        source_name=survey.source_name or survey.title,
        waves_label=label,
        publisher=survey.publisher,
        contact=survey.contact,
        licence=survey.licence,
        url=survey.url,
        published=newest.published,
        version=newest.version,
    )


def waves_label(waves: Sequence[str]) -> str:
    """'wave 2022', 'waves 2022 and 2024'."""
    return f"waves {join_words(waves)}" if len(waves) > 1 else f"wave {join_words(waves)}"


def join_words(words: Iterable[str]) -> str:
    """'2022', '2022 and 2024', '2020, 2022 and 2024'."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def base_column(columns: Iterable[str]) -> str | None:
    """The column of a mart row that counts the organisations an estimate rests on."""
    found = set(columns)
    return next((c for c in ("n_respondents", "n_base") if c in found), None)


def n_range(rows: Iterable[Mapping[str, object]], column: str = "n_respondents") -> str:
    """'n = 25', or 'n = 20–25' when the rows' bases differ; '' when none is given."""
    counts = sorted({int(float(str(r[column]))) for r in rows if r.get(column) is not None})
    if not counts:
        return ""
    low, high = f"{counts[0]:,}", f"{counts[-1]:,}"
    return f"n = {low}" if low == high else f"n = {low}–{high}"


def base_of(rows: Iterable[Mapping[str, object]], column: str = "n_respondents") -> str:
    """'n = 150 organisations answering' ('n = 120–150 …' when the items' bases differ), from
    the rows of all sectors (org_sector 'all') when there are such rows; '' without counts
    (all of them hidden or none given)."""
    listed = list(rows)
    overall = [r for r in listed if r.get("org_sector") == "all"] or listed
    n = n_range(overall, column)
    return f"{n} organisations answering" if n else ""

"""Synthetic sample, 2024 wave: a SurveyMonkey XLSX export (2 header rows, column per option)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from transforms.synthetic.answers import NA, Response
from transforms.synthetic.people import fake_contact, fake_ip
from transforms.synthetic.spec import (
    DIFFICULTY,
    IMPORTANCE,
    NOT_APPLICABLE,
    QUESTIONS_2024,
    REGION_CHOICES,
    ROLE_ITEMS,
    SECTOR_CHOICES_2024,
    SHORTAGE,
    SIZE_CHOICES,
    SKILL_ITEMS,
    TRAINING_FORMATS,
)
from transforms.synthetic.xlsx import save_deterministic

META: tuple[str, ...] = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)
US_STAMP = "%m/%d/%Y %I:%M:%S %p"
OTHER_LABEL = "Other (please specify)"
_COLLECTORS = {"email": 431876512, "weblink": 431876877}
_GRIDS: tuple[tuple[str, dict[str, str]], ...] = (
    ("hires_1y", ROLE_ITEMS),
    ("hires_5y", ROLE_ITEMS),
    ("recruitment_difficulty", ROLE_ITEMS),
    ("skill_importance", SKILL_ITEMS),
    ("skill_shortage", SKILL_ITEMS),
)


@dataclass(frozen=True)
class Column:
    """One export column: row-1 text (question, only over its first column) and row-2 label."""

    question: str  # forward-filled question text ('' for metadata)
    label: str  # row-2 label ('' for metadata)
    first: bool  # the question's first column (row 1 shows the text)

    @property
    def key(self) -> str:
        """The codebook key: 'question | label', or the metadata header alone."""
        return f"{self.question} | {self.label}" if self.label else self.question


def columns() -> list[Column]:
    """Every column of the 2024 export, in file order."""
    q = QUESTIONS_2024
    cols = [Column(name, "", True) for name in META]
    for name in ("org_sector", "org_size_band", "region"):
        cols.append(Column(q[name], "Response", True))
    for name, items in _GRIDS:
        cols += [Column(q[name], label, i == 0) for i, label in enumerate(items.values())]
    options = [label for code, label in TRAINING_FORMATS.items() if code != "other"]
    cols += [Column(q["training_format"], label, i == 0) for i, label in enumerate(options)]
    cols.append(Column(q["training_format"], OTHER_LABEL, False))
    cols.append(Column(q["other_skills"], "Open-Ended Response", True))
    cols.append(Column(q["training_special"], "Open-Ended Response", True))
    return cols


def write_surveymonkey_export(path: Path, responses: list[Response], seed: int) -> Path:
    """Write the export as SurveyMonkey's 'All individual responses' XLSX, newest first."""
    rng = np.random.default_rng([seed, 24])
    cols = columns()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet"
    ws.append([c.question if c.first else None for c in cols])
    ws.append([c.label or None for c in cols])
    ids = 114_908_000_000 + np.cumsum(rng.integers(40_000, 9_000_000, size=len(responses)))
    records = [row(rng, r, int(i)) for r, i in zip(responses, ids, strict=True)]
    for record in reversed(records):
        ws.append([record.get(c.key) for c in cols])
    return save_deterministic(wb, path)


def row(rng: np.random.Generator, r: Response, respondent_id: int) -> dict[str, object]:
    """One response as export cells keyed by column key (absent = blank)."""
    return {**_meta(rng, r, respondent_id), **_answers(r)}


def _meta(rng: np.random.Generator, r: Response, respondent_id: int) -> dict[str, object]:
    end = r.started + timedelta(seconds=r.duration_s)
    email = rng.random() < 0.7
    meta: dict[str, object] = {
        "Respondent ID": respondent_id,
        "Collector ID": _COLLECTORS["email" if email else "weblink"],
        "Start Date": r.started.strftime(US_STAMP),
        "End Date": end.strftime(US_STAMP),
        "IP Address": fake_ip(rng),
    }
    if email:
        person = fake_contact(rng)
        meta |= {
            "Email Address": person.email,
            "First Name": person.first,
            "Last Name": person.last,
            "Custom Data 1": f"ATMP-CRM-{r.org.org_id:04d}",
        }
    return meta


def _answers(r: Response) -> dict[str, object]:
    q = QUESTIONS_2024
    cells: dict[str, object] = {}
    if r.blocks >= 1:
        if r.sector_answer:
            cells[f"{q['org_sector']} | Response"] = SECTOR_CHOICES_2024[r.sector_answer]
        cells[f"{q['org_size_band']} | Response"] = SIZE_CHOICES[r.org.size]
        cells[f"{q['region']} | Response"] = REGION_CHOICES[r.org.region]
    for name, values in (("hires_1y", r.hires_1y), ("hires_5y", r.hires_5y)):
        for code, v in values.items():
            cells[f"{q[name]} | {ROLE_ITEMS[code]}"] = v
    for code, d in r.difficulty.items():
        text = NOT_APPLICABLE if d == NA else DIFFICULTY.get(d or -1)
        cells[f"{q['recruitment_difficulty']} | {ROLE_ITEMS[code]}"] = text
    for name, scale, ratings in (
        ("skill_importance", IMPORTANCE, r.importance),
        ("skill_shortage", SHORTAGE, r.shortage),
    ):
        for code, v in ratings.items():
            cells[f"{q[name]} | {SKILL_ITEMS[code]}"] = scale.get(v or -1)
    for code in r.formats or ():
        if code != "other":
            cells[f"{q['training_format']} | {TRAINING_FORMATS[code]}"] = TRAINING_FORMATS[code]
    cells[f"{q['training_format']} | {OTHER_LABEL}"] = r.format_other
    cells[f"{q['other_skills']} | Open-Ended Response"] = r.other_skills
    cells[f"{q['training_special']} | Open-Ended Response"] = r.training_special
    return cells

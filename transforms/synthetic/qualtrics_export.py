"""Synthetic sample, 2022 wave: a Qualtrics CSV export (3 header rows, choice text, BOM)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from transforms.synthetic.answers import NA, Response
from transforms.synthetic.people import fake_contact, fake_ip, qualtrics_response_id
from transforms.synthetic.spec import (
    DIFFICULTY,
    FIELDWORK,
    IMPORTANCE,
    NOT_APPLICABLE,
    QUESTIONS_2022,
    REGION_CHOICES,
    ROLE_ITEMS,
    SECTOR_CHOICES,
    SHORTAGE,
    SIZE_CHOICES,
    SKILL_ITEMS,
    TRAINING_FORMATS,
)

STAMP = "%Y-%m-%d %H:%M:%S"
TIMEZONE = "Europe/Stockholm"
# Metadata columns: export tag, question-text row, ImportId (with time zone for timestamps).
META: tuple[tuple[str, str, str], ...] = (
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
_TIMED = {"startDate", "endDate", "recordedDate"}
# Question numbers (QIDn) and choice ids: skill choice 16 was deleted in the editor, so the
# last skill is choice 17 - the codebook maps by ImportId, never by position.
QID = {
    "org_sector": 1,
    "org_size_band": 2,
    "region": 3,
    "hires_1y": 4,
    "hires_5y": 5,
    "recruitment_difficulty": 6,
    "skill_importance": 7,
    "skill_shortage": 8,
    "training_format": 9,
    "other_skills": 10,
    "training_special": 11,
}
ROLE_CHOICE: dict[str, int] = {code: i for i, code in enumerate(ROLE_ITEMS, start=1)}
SKILL_CHOICE: dict[str, int] = {
    code: (i if i < 16 else i + 1) for i, code in enumerate(SKILL_ITEMS, start=1)
}
OTHER_FORMAT_CHOICE = list(TRAINING_FORMATS).index("other") + 1
# Approximate coordinates Qualtrics derives from an IP address, per region.
_COORDS: dict[str, tuple[float, float]] = {
    "stockholm": (59.3293, 18.0686),
    "uppsala": (59.8586, 17.6389),
    "vastra_gotaland": (57.7089, 11.9746),
    "skane": (55.7047, 13.1910),
    "vasterbotten": (63.8258, 20.2630),
    "ostergotland": (58.4108, 15.6214),
    "other_region": (60.6749, 17.1413),
}


@dataclass(frozen=True)
class Column:
    """One export column: tag (row 1), question text (row 2), ImportId (row 3)."""

    tag: str
    text: str
    import_id: str

    def import_json(self) -> str:
        spec = {"ImportId": self.import_id}
        if self.import_id in _TIMED:
            spec["timeZone"] = TIMEZONE
        return json.dumps(spec, separators=(",", ":"))


def columns() -> list[Column]:
    """Every column of the 2022 export, in file order."""
    cols = [Column(tag, text, iid) for tag, text, iid in META]
    q = QUESTIONS_2022
    for name in ("org_sector", "org_size_band", "region"):
        cols.append(Column(f"Q{QID[name]}", q[name], f"QID{QID[name]}"))
    for name in ("hires_1y", "hires_5y", "recruitment_difficulty"):
        cols += _grid(name, ROLE_ITEMS, ROLE_CHOICE)
    for name in ("skill_importance", "skill_shortage"):
        cols += _grid(name, SKILL_ITEMS, SKILL_CHOICE)
    n, k = QID["training_format"], OTHER_FORMAT_CHOICE
    cols.append(Column(f"Q{n}", f"{q['training_format']} - Selected Choice", f"QID{n}"))
    cols.append(
        Column(f"Q{n}_{k}_TEXT", f"{q['training_format']} - Other - Text", f"QID{n}_{k}_TEXT")
    )
    for name in ("other_skills", "training_special"):
        n = QID[name]
        cols.append(Column(f"Q{n}", q[name], f"QID{n}_TEXT"))
    return cols


def _grid(name: str, items: dict[str, str], choice: dict[str, int]) -> list[Column]:
    n = QID[name]
    text = QUESTIONS_2022[name]
    return [
        Column(f"Q{n}_{choice[c]}", f"{text} - {label}", f"QID{n}_{choice[c]}")
        for c, label in items.items()
    ]


def write_qualtrics_export(path: Path, responses: list[Response], seed: int) -> Path:
    """Write the export as Qualtrics does: UTF-8 with BOM, LF line ends, minimal quoting."""
    rng = np.random.default_rng([seed, 22])
    cols = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.tag for c in cols])
    writer.writerow([c.text for c in cols])
    writer.writerow([c.import_json() for c in cols])
    records = [row(rng, r) for r in responses]
    records.sort(key=lambda rec: rec["recordedDate"])
    for record in records:
        writer.writerow([record.get(c.import_id, "") for c in cols])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def row(rng: np.random.Generator, r: Response) -> dict[str, str]:
    """One response as export cells keyed by ImportId ('' for blank)."""
    return {**_meta(rng, r), **_answers(r)}


def _meta(rng: np.random.Generator, r: Response) -> dict[str, str]:
    end = r.started + timedelta(seconds=r.duration_s)
    recorded = end if r.finished else _closed_at(end)
    channel = "preview" if r.preview else ("email" if rng.random() < 0.75 else "anonymous")
    meta = {
        "startDate": r.started.strftime(STAMP),
        "endDate": end.strftime(STAMP),
        "status": "Survey Preview" if r.preview else "IP Address",
        "ipAddress": "" if r.preview else fake_ip(rng),
        "progress": str(100 if r.finished else round(100 * r.blocks / 8)),
        "duration": str(r.duration_s),
        "finished": str(r.finished),
        "recordedDate": recorded.strftime(STAMP),
        "_recordId": qualtrics_response_id(rng),
        "distributionChannel": channel,
        "userLanguage": "SV" if rng.random() < 0.08 else "EN",
    }
    if channel == "email":
        person = fake_contact(rng)
        meta |= {
            "recipientLastName": person.last,
            "recipientFirstName": person.first,
            "recipientEmail": person.email,
            "externalDataReference": f"ATMP-CRM-{r.org.org_id:04d}",
        }
    if not r.preview:
        lat, lon = _COORDS[r.org.region]
        meta["locationLatitude"] = _coordinate(lat + rng.normal(0, 0.05))
        meta["locationLongitude"] = _coordinate(lon + rng.normal(0, 0.05))
    return meta


def _closed_at(last_activity: datetime) -> datetime:
    """Partial responses are recorded when they expire (a week later, or at close)."""
    close = datetime.combine(FIELDWORK["2022"][1], datetime.max.time()).replace(microsecond=0)
    return min(last_activity + timedelta(days=7), close)


def _coordinate(value: float) -> str:
    """As Qualtrics writes them: a single-precision float with 14 significant digits."""
    return f"{float(np.float32(value)):.14g}"


def _answers(r: Response) -> dict[str, str]:
    cells: dict[str, str] = {}
    if r.blocks >= 1:
        cells["QID1"] = SECTOR_CHOICES[r.sector_answer] if r.sector_answer else ""
        cells["QID2"] = SIZE_CHOICES[r.org.size]
        cells["QID3"] = REGION_CHOICES[r.org.region]
    for name, values in (("hires_1y", r.hires_1y), ("hires_5y", r.hires_5y)):
        for code, v in values.items():
            cells[f"QID{QID[name]}_{ROLE_CHOICE[code]}"] = "" if v is None else str(v)
    for code, d in r.difficulty.items():
        text = NOT_APPLICABLE if d == NA else DIFFICULTY.get(d or -1, "")
        cells[f"QID{QID['recruitment_difficulty']}_{ROLE_CHOICE[code]}"] = text
    for name, scale, ratings in (
        ("skill_importance", IMPORTANCE, r.importance),
        ("skill_shortage", SHORTAGE, r.shortage),
    ):
        for code, v in ratings.items():
            cells[f"QID{QID[name]}_{SKILL_CHOICE[code]}"] = scale.get(v or -1, "")
    n = QID["training_format"]
    if r.formats:
        cells[f"QID{n}"] = ",".join(TRAINING_FORMATS[c] for c in r.formats)
    cells[f"QID{n}_{OTHER_FORMAT_CHOICE}_TEXT"] = r.format_other or ""
    cells[f"QID{QID['other_skills']}_TEXT"] = r.other_skills or ""
    cells[f"QID{QID['training_special']}_TEXT"] = r.training_special or ""
    return cells

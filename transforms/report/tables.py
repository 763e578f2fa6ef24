"""Report step, tables: mart rows for one survey wave → the tables the report shows.

Each builder takes the frame its report query returned (transforms/report/sql/) and returns a
`Table`; the same object feeds HTML, PDF and tables.xlsx, so every published table is the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import SupportsFloat, cast

import pandas as pd

from transforms.report.formatting import format_count, is_missing
from transforms.report.rows import (
    ALL,
    DIFFICULTY_KEY,
    HIRING_KEY,
    IMPORTANCE_KEY,
    SAMPLE_KEY,
    SHORTAGE_KEY,
    TRAINING_KEY,
    Row,
    first,
    publishable,
    records,
)
from transforms.report.values import (
    Cell,
    Column,
    Kind,
    ReportMeta,
    Table,
    Value,
    interval_cell,
    label_cell,
    make_value,
    value_cell,
)


class TableBuilder:
    """Formats mart rows for one report: suppression label and code labels from `meta`."""

    def __init__(self, meta: ReportMeta, confidence: str) -> None:
        self.meta = meta
        self.ci = f"{confidence} CI"
        self.suppressed = f"<{meta.min_cell_size}"
        self.suppression_note = (
            f"{self.suppressed}: not published, because it rests on fewer than "
            f"{meta.min_cell_size} organisations or because it would let such a figure be "
            "worked out from a total; –: no estimate."
        )
        self.low_precision_note = meta.low_precision_note  # under a table with a marked cell

    # --- values -----------------------------------------------------------------------------

    def value(
        self,
        row: Row,
        field: str,
        kind: Kind,
        mart: str,
        key: Sequence[str],
        check: bool = True,
        *,
        secondary: bool = False,
        flag: str | None = None,
    ) -> Value:
        """A mart cell; when suppressed, the label "<5" (a secondary statistic such as an
        interval bound or a mean shows "–", so each suppressed row reads "<5" once). `flag`
        names the row's low-precision column when the cell is an estimate that has one."""
        return make_value(
            row,
            field,
            kind,
            mart=mart,
            key=key,
            suppressed_text="–" if secondary else self.suppressed,
            check_suppressed=check,
            flag=flag,
        )

    def estimate(
        self,
        row: Row | None,
        field: str,
        kind: Kind,
        mart: str,
        key: Sequence[str],
        flag: str = "low_precision",
    ) -> tuple[Cell, Cell]:
        """An estimate (carrying the row's low-precision flag) and its interval (ci_low/ci_high
        next to `field`) as two cells."""
        if row is None:
            missing = Value("–")
            return value_cell(missing), interval_cell(missing, missing)
        low, high = ci_columns(field)
        return (
            value_cell(self.value(row, field, kind, mart, key, flag=flag)),
            interval_cell(
                self.value(row, low, kind, mart, key, secondary=True),
                self.value(row, high, kind, mart, key, secondary=True),
            ),
        )

    def count(self, row: Row | None, field: str, mart: str, key: Sequence[str]) -> Cell:
        """A respondent count: shown unless the mart hides it (under the minimum, or it would
        give a hidden count away), then the suppression label."""
        if row is None:
            return value_cell(Value("–"))
        if row.get(field) is None:
            return value_cell(self.value({**row, "suppressed": True}, field, "count", mart, key))
        return value_cell(self.value(row, field, "count", mart, key, check=False))

    def sector(self, code: str) -> str:
        return "All sectors" if code == ALL else self.meta.label("org_sector", code)

    def size_band(self, code: str) -> str:
        return "All sizes" if code == ALL else self.meta.label("org_size_band", code)

    # --- tables -----------------------------------------------------------------------------

    def hiring(self, frame: pd.DataFrame, by: str) -> Table:
        """Expected hires within 1 and 5 years by role (all sectors) or by sector (all roles)."""
        mart = "mart_hiring_demand"
        if by == "role_code":
            rows = records(frame, org_sector=ALL)
            items = ordered(rows, "role_code", "role_label", "total", horizon="5y")
        else:
            rows = records(frame, role_code=ALL)
            items = [(code, self.sector(code)) for code in sectors(rows, self.meta)]
        body = []
        for code, label in items:
            cells = [label_cell(label, strong=code == ALL)]
            for horizon in ("1y", "5y"):
                row = first(rows, **{by: code, "horizon": horizon})
                cells += self.estimate(row, "total", "count", mart, HIRING_KEY)
            five = first(rows, **{by: code, "horizon": "5y"})
            cells.append(self.count(five, "n_respondents", mart, HIRING_KEY))
            body.append(tuple(cells))
        name = "role" if by == "role_code" else "sector"
        return Table(
            f"hiring-by-{name}",
            f"Expected hires by {name} and horizon, "
            + ("all sectors" if by == "role_code" else "all roles"),
            f"Hiring by {name}",
            (
                Column(name.capitalize(), "label"),
                Column("Hires within 1 year"),
                Column(self.ci, "interval"),
                Column("Hires within 5 years"),
                Column(self.ci, "interval"),
                Column("Organisations answering (n)"),
            ),
            tuple(body),
            (
                "Weighted estimates of the number of people organisations expect to hire; "
                "the 5-year figure includes the first year.",
                self.suppression_note,
            ),
        )

    def difficulty(self, frame: pd.DataFrame, by: str) -> Table:
        """Share reporting recruitment difficulty by sector (all roles) or by role (all sectors)."""
        mart = "mart_recruitment_difficulty"
        if by == "org_sector":
            rows = records(frame, role_code=ALL)
            items = [(c, self.sector(c)) for c in sectors(rows, self.meta)]
        else:
            rows = records(frame, org_sector=ALL)
            items = ordered(rows, "role_code", "role_label", "share")
        body = []
        for code, label in items:
            row = first(rows, **{by: code})
            body.append(
                (
                    label_cell(label, strong=code == ALL),
                    *self.estimate(row, "share", "share", mart, DIFFICULTY_KEY),
                    self.count(row, "n_respondents", mart, DIFFICULTY_KEY),
                    value_cell(
                        self.value(row, "n_eff", "decimal", mart, DIFFICULTY_KEY, secondary=True)
                    )
                    if row
                    else value_cell(Value("–")),
                )
            )
        what = "sector (any role)" if by == "org_sector" else "role, all sectors"
        return Table(
            f"difficulty-by-{'sector' if by == 'org_sector' else 'role'}",
            f"Share of organisations reporting recruitment difficulty by {what}",
            f"Difficulty by {'sector' if by == 'org_sector' else 'role'}",
            (
                Column("Sector" if by == "org_sector" else "Role", "label"),
                Column("Share reporting difficulty"),
                Column(self.ci, "interval"),
                Column("Organisations answering (n)"),
                Column("Effective n"),
            ),
            tuple(body),
            (
                "Weighted share of organisations rating recruitment for the role 3 or 4 on the "
                "4-point difficulty scale; any role: at least one role rated so. The interval is "
                "a Wilson interval using the Kish effective sample size.",
                self.suppression_note,
            ),
        )

    def skill_shortage(self, frame: pd.DataFrame) -> Table:
        return self._skill_shares(
            frame,
            "mart_skill_shortage",
            SHORTAGE_KEY,
            ("skill-shortage", "Skill shortage", "Share reporting a shortage"),
            "Share of organisations reporting a shortage of each skill, all sectors",
            (self.suppression_note,),
        )

    def _skill_shares(
        self,
        frame: pd.DataFrame,
        mart: str,
        key: Sequence[str],
        names: tuple[str, str, str],
        title: str,
        notes: tuple[str, ...],
    ) -> Table:
        """Per skill, all sectors: a share with its interval, mean importance and the base.
        `names`: the table id, its short title and the share column's header."""
        table_id, short_title, share_header = names
        rows = records(frame, org_sector=ALL)
        body = []
        for code, label in ordered(rows, "skill_code", "skill_label", "share"):
            row = first(rows, skill_code=code)
            assert row is not None
            body.append(
                (
                    label_cell(label, strong=code == ALL),
                    *self.estimate(row, "share", "share", mart, key),
                    value_cell(
                        self.value(row, "mean_importance", "decimal", mart, key, secondary=True)
                    ),
                    self.count(row, "n_respondents", mart, key),
                )
            )
        return Table(
            table_id,
            title,
            short_title,
            (
                Column("Skill", "label"),
                Column(share_header),
                Column(self.ci, "interval"),
                Column("Mean importance (1–5)"),
                Column("Organisations answering (n)"),
            ),
            tuple(body),
            notes,
        )

    def skill_shortage_by_sector(self, frame: pd.DataFrame) -> Table:
        mart = "mart_skill_shortage"
        rows = records(frame)
        columns = sectors(rows, self.meta, all_first=True)
        overall = records(frame, org_sector=ALL)
        body = []
        for code, label in ordered(overall or rows, "skill_code", "skill_label", "share"):
            cells = [label_cell(label, strong=code == ALL)]
            for sector in columns:
                row = first(rows, skill_code=code, org_sector=sector)
                cells.append(
                    value_cell(
                        self.value(row, "share", "share", mart, SHORTAGE_KEY, flag="low_precision")
                    )
                    if row
                    else value_cell(Value("–"))
                )
            body.append(tuple(cells))
        return Table(
            "skill-shortage-by-sector",
            "Share of organisations reporting a shortage by skill and sector",
            "Skill shortage by sector",
            (Column("Skill", "label"), *(Column(self.sector(c)) for c in columns)),
            tuple(body),
            (self.suppression_note,),
        )

    def skill_importance(self, frame: pd.DataFrame) -> Table:
        """Share rating each skill very or extremely important and mean importance, all
        sectors (the sector rows stay in the mart)."""
        return self._skill_shares(
            frame,
            "mart_skill_importance",
            IMPORTANCE_KEY,
            ("skill-importance", "Skill importance", "Share rating it important"),
            "Share of organisations rating each skill very or extremely important, all sectors",
            (
                "Weighted share of the organisations rating the skill that rate it 4 or 5 on "
                "the 5-point scale from 1 (not important) to 5; the interval is a Wilson "
                "interval using the Kish effective sample size.",
                self.suppression_note,
            ),
        )

    def training(self, frame: pd.DataFrame) -> Table:
        mart = "mart_training_preference"
        rows = records(frame)
        body = []
        for code, label in ordered(rows, "format_code", "format_label", "pct_cases"):
            row = first(rows, format_code=code)
            assert row is not None
            body.append(
                (
                    label_cell(label),
                    *self.estimate(row, "pct_cases", "share", mart, TRAINING_KEY),
                    value_cell(
                        self.value(
                            row, "pct_responses", "share", mart, TRAINING_KEY, secondary=True
                        )
                    ),
                    value_cell(self.value(row, "n_selected", "count", mart, TRAINING_KEY)),
                )
            )
        base = training_base(rows)
        base_note = (
            f"% of organisations answering the question; n = {base.text}."
            if base
            else "% of organisations answering the question."
        )
        return Table(
            "training-preferences",
            "Preferred training formats",
            "Training preferences",
            (
                Column("Format", "label"),
                Column("% of organisations"),
                Column(self.ci, "interval"),
                Column("% of responses"),
                Column("Organisations choosing (n)"),
            ),
            tuple(body),
            (
                base_note,
                "Organisations could choose several formats, so % of organisations adds up "
                "to more than 100%; % of responses divides by all choices made.",
                self.suppression_note,
            ),
        )

    def sample(self, frame: pd.DataFrame, *, weighted: bool = True) -> Table:
        """Respondents against the population by sector and size band; an unweighted survey
        (no population frame) shows the respondents only."""
        mart = "mart_sample"
        body: list[tuple[Cell, ...]] = []
        rows = sorted(
            records(frame),
            key=lambda r: (
                self.meta.order("org_sector", str(r["org_sector"])),
                self.meta.order("org_size_band", str(r["org_size_band"])),
            ),
        )
        for row in rows:
            strong = ALL in (row["org_sector"], row["org_size_band"])
            labels = (
                label_cell(self.sector(str(row["org_sector"])), strong=strong),
                label_cell(self.size_band(str(row["org_size_band"])), strong=strong),
            )
            count = value_cell(self.value(row, "n_respondents", "count", mart, SAMPLE_KEY))
            if not weighted:
                body.append((*labels, count))
                continue
            body.append(
                (
                    *labels,
                    value_cell(self.value(row, "population", "count", mart, SAMPLE_KEY, False)),
                    count,
                    value_cell(
                        self.value(row, "response_rate", "share", mart, SAMPLE_KEY, secondary=True)
                    ),
                    value_cell(
                        self.value(row, "weight", "decimal", mart, SAMPLE_KEY, secondary=True)
                    ),
                )
            )
        if not weighted:
            return Table(
                "sample",
                "Responding organisations by sector and size band",
                "Sample",
                (
                    Column("Sector", "label"),
                    Column("Size band", "label"),
                    Column("Responding organisations"),
                ),
                tuple(body),
                (
                    "The survey has no population frame: the responses are not weighted.",
                    self.suppression_note,
                ),
            )
        return Table(
            "sample",
            "Responding organisations against the population, by sector and size band",
            "Sample",
            (
                Column("Sector", "label"),
                Column("Size band", "label"),
                Column("Organisations in population"),
                Column("Responding organisations"),
                Column("Response rate"),
                Column("Weight"),
            ),
            tuple(body),
            (
                "Weight: the weight each responding organisation in the cell carries.",
                self.suppression_note,
            ),
        )

    def weighting(self, frame: pd.DataFrame) -> Table:
        mart = "mart_weighting"
        rows = records(frame)
        measures: tuple[tuple[str, str, Kind], ...] = (
            ("Responding organisations", "n_respondents", "count"),
            ("Organisations in population", "population", "count"),
            ("Sum of weights", "sum_weights", "decimal"),
            ("Kish design effect of weighting", "kish_deff", "decimal"),
            ("Weighting efficiency", "weighting_efficiency", "share1"),
        )
        body = tuple(
            (label_cell(name), value_cell(self.value(rows[0], field, kind, mart, (), False)))
            for name, field, kind in measures
            if rows
        )
        return Table(
            "weighting",
            "Weighting summary",
            "Weighting",
            (Column("Measure", "label"), Column("Value")),
            body,
            (
                "Weighting efficiency = 1 / Kish design effect: the share of the sample's "
                "information kept after weighting.",
            ),
        )

    def data_quality(self) -> Table:
        body = tuple(
            (
                label_cell(row["table"]),
                value_cell(plain_count(row["rows_in"])),
                value_cell(plain_count(row["curated"])),
                value_cell(plain_count(row["quarantined"])),
            )
            for row in self.meta.data_quality
        )
        return Table(
            "data-quality",
            "Rows read, curated and quarantined per table",
            "Data quality",
            (
                Column("Table", "label"),
                Column("Rows in"),
                Column("Curated"),
                Column("Quarantined"),
            ),
            body,
            ("Every row read is either curated or quarantined: rows in = curated + quarantined.",),
        )

    def quarantine_reasons(self) -> Table:
        body = tuple(
            (
                label_cell(row["table"]),
                label_cell(row["reason"]),
                value_cell(plain_count(row["count"])),
            )
            for row in self.meta.quarantine_reasons
        )
        return Table(
            "quarantine-reasons",
            "Reasons rows were quarantined",
            "Quarantine reasons",
            (Column("Table", "label"), Column("Reason", "label"), Column("Rows")),
            body,
            ("A row can fail several checks; it is counted once under each reason.",),
        )


# ---------------------------------------------------------------------------------------------
# Row helpers (shared with the key findings)
# ---------------------------------------------------------------------------------------------


def ci_columns(field: str) -> tuple[str, str]:
    """The interval columns of an estimate (mart_demand_vs_supply prefixes them with demand_)."""
    return (
        ("demand_ci_low", "demand_ci_high") if field.startswith("demand") else ("ci_low", "ci_high")
    )


def ordered(
    rows: Sequence[Row], code: str, label: str, value: str, **where: str
) -> list[tuple[str, str]]:
    """(code, label) pairs: largest estimate first, then suppressed/missing by label, 'all' last."""
    ranked = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    known = {str(r[code]): float(r[value]) for r in ranked if publishable(r, value)}
    labels = {str(r[code]): str(r[label]) for r in rows}
    return sorted(
        labels.items(),
        key=lambda item: (
            item[0] == ALL,
            item[0] not in known,
            -known.get(item[0], 0.0),
            item[1],
            item[0],
        ),
    )


def sectors(rows: Sequence[Row], meta: ReportMeta, *, all_first: bool = False) -> list[str]:
    """Sector codes of the rows in codebook order, the 'all' total last (or first)."""
    codes = sorted(
        {str(r["org_sector"]) for r in rows if r["org_sector"] != ALL},
        key=lambda code: meta.order("org_sector", code),
    )
    if any(r["org_sector"] == ALL for r in rows):
        return [ALL, *codes] if all_first else [*codes, ALL]
    return codes


def training_base(rows: Sequence[Row]) -> Value | None:
    """The base of the training question, when it is one number for every format."""
    bases = {int(r["n_base"]) for r in rows if r.get("n_base") is not None}
    if len(bases) != 1:
        return None
    row = next(r for r in rows if r.get("n_base") is not None)
    return make_value(
        row,
        "n_base",
        "count",
        mart="mart_training_preference",
        key=TRAINING_KEY,
        suppressed_text="",
        check_suppressed=False,
    )


def plain_count(value: object) -> Value:
    """A count that does not come from a mart (the data-quality summary passed in)."""
    if is_missing(value):
        return Value("–")
    return Value(format_count(value), round(float(cast(SupportsFloat, value))), "count")

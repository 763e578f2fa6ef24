"""Report step, topics: what each section of the report shows, declared once.

A topic is one section about one question of the survey: its anchor id and title, the question
it answers and the codebook target that question fills, and the key findings, figures and
tables it shows, each read from one report query (transforms/report/sql/). A survey need not
ask everything the canonical model holds (an employee-side skills survey has no hiring
question): the section of a topic the wave did not ask about (`ReportMeta.asked`, from the
codebook) is left out and says why in plain words, instead of showing empty tables and charts.
A topic that was asked but has no publishable estimate keeps its section (it says that too few
answered). `transforms.report.context` builds the parts of the topics shown, in this order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from transforms.core.canonical import REPORT_SECTIONS
from transforms.report import charts, findings
from transforms.report.charts import Chart, comparison
from transforms.report.tables.builder import TableBuilder
from transforms.report.tables.difficulty import difficulty_table
from transforms.report.tables.gap import skill_gap_by_family_table, skill_gap_table
from transforms.report.tables.hiring import hiring_table
from transforms.report.tables.offers import training_offer_table
from transforms.report.tables.skills import (
    skill_importance_table,
    skill_shortage_by_sector_table,
    skill_shortage_table,
)
from transforms.report.tables.training import training_table
from transforms.report.values import ReportMeta, Table

# codebook targets of the questions the topics answer (ReportMeta.asks)
HIRING = "hiring_need.headcount"
DIFFICULTY = "recruitment_difficulty.difficulty"
SHORTAGE = "skill_need.shortage"
IMPORTANCE = "skill_need.importance"
TRAINING = "training_preference.format_code"
SECTOR = "respondent.org_sector"

Frames = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class ChartOptions:
    """What every chart of one report is told: the suppression and confidence labels, and the
    codebook's sector labels."""

    suppressed_label: str
    confidence_label: str
    sectors: Mapping[str, str]

    @property
    def labels(self) -> dict[str, str]:
        return {
            "suppressed_label": self.suppressed_label,
            "confidence_label": self.confidence_label,
        }


@dataclass(frozen=True)
class Figure:
    """A chart: anchor id, caption ("{confidence}" becomes the confidence label), the query it
    draws and how; `by_sector`: drawn only when the wave asked for the sector."""

    id: str
    caption: str
    query: str
    draw: Callable[[pd.DataFrame, ChartOptions], Chart]
    by_sector: bool = False


@dataclass(frozen=True)
class TablePart:
    """A table: the query it reads and its builder; `by_sector` as for `Figure`."""

    query: str
    build: Callable[[pd.DataFrame, TableBuilder], Table]
    by_sector: bool = False


@dataclass(frozen=True)
class Finding:
    """A key finding: its name in the template (`findings.<name>`), query and builder."""

    name: str
    query: str
    build: Callable[[pd.DataFrame, TableBuilder], dict[str, Any] | None]


@dataclass(frozen=True)
class Topic:
    """One section of the report about one question of the survey."""

    section: str  # anchor id
    title: str  # contents title
    question: str  # the question the section answers
    asks: str  # the codebook target of that question: without it the section is left out
    absent: str  # the sentence saying why it is left out
    findings: tuple[Finding, ...]
    figures: tuple[Figure, ...]
    tables: tuple[TablePart, ...]
    needs: str | None = None  # a query whose rows the section needs besides the question
    unanswered: str = ""  # why it is left out when asked but `needs` has no rows


@dataclass(frozen=True)
class Section:
    """One section of the report: anchor id, contents title, and whether it is shown."""

    id: str
    title: str
    shown: bool = True
    absent: str = ""  # for a section left out: the sentence saying why


@dataclass(frozen=True)
class Chapter:
    """One chapter of the report: a question the codebook names (`ReportMeta.questions`) with
    the sections shown that answer it, or a section no question names, which is then its own
    chapter (`own`: the chapter is the section, under the section's id and title)."""

    id: str
    title: str
    sections: tuple[str, ...]  # ids of the topic sections shown, in the chapter's order
    own: bool = False


# Charts are looked up on their module when drawn (tests replace them there).
TOPICS: tuple[Topic, ...] = (
    Topic(
        "hiring",
        "Hiring demand by role and horizon",
        "How many people do organisations expect to hire, for which roles, within one and "
        "five years?",
        HIRING,
        "This survey did not ask about hiring plans, so the report has no estimates of "
        "expected hires.",
        findings=(Finding("hiring", "hiring_demand", findings.hiring),),
        figures=(
            Figure(
                "fig-hiring",
                "Expected hires by role within one and five years, all sectors, with "
                "{confidence} confidence intervals.",
                "hiring_demand",
                lambda frame, o: charts.plot_hiring_demand_by_role(frame, **o.labels),
            ),
        ),
        tables=(
            TablePart("hiring_demand", lambda f, tb: hiring_table(f, tb, by="role_code")),
            TablePart("hiring_demand", lambda f, tb: hiring_table(f, tb, by="org_sector"), True),
        ),
    ),
    Topic(
        "difficulty",
        "Recruitment difficulty by sector",
        "How many organisations find it difficult to recruit, in which sectors and roles?",
        DIFFICULTY,
        "This survey did not ask how difficult it is to recruit for each role.",
        findings=(Finding("difficulty", "recruitment_difficulty", findings.difficulty),),
        figures=(
            Figure(
                "fig-difficulty",
                "Share of organisations reporting difficulty recruiting for at least one role, "
                "by sector.",
                "recruitment_difficulty",
                lambda frame, o: charts.plot_difficulty_by_sector(frame, o.sectors, **o.labels),
                by_sector=True,
            ),
        ),
        tables=(
            TablePart(
                "recruitment_difficulty",
                lambda f, tb: difficulty_table(f, tb, by="org_sector"),
                True,
            ),
            TablePart(
                "recruitment_difficulty", lambda f, tb: difficulty_table(f, tb, by="role_code")
            ),
        ),
    ),
    Topic(
        "skills",
        "Skill shortages",
        "Which skills are organisations short of, in which sectors?",
        SHORTAGE,
        "This survey did not ask about skill shortages.",
        findings=(Finding("skills", "skill_shortage", findings.skills),),
        figures=(
            Figure(
                "fig-skills",
                "Share of organisations reporting a shortage, by skill and sector.",
                "skill_shortage",
                lambda frame, o: charts.plot_skill_shortage_heatmap(
                    frame, o.sectors, suppressed_label=o.suppressed_label
                ),
            ),
        ),
        tables=(
            TablePart("skill_shortage", skill_shortage_table),
            TablePart("skill_shortage", skill_shortage_by_sector_table, True),
        ),
    ),
    Topic(
        "importance",
        "Skill importance",
        "Which skills do organisations rate very or extremely important?",
        IMPORTANCE,
        "This survey did not ask how important each skill is.",
        findings=(Finding("importance", "skill_importance", findings.importance),),
        figures=(
            Figure(
                "fig-importance",
                "Share of organisations rating each skill very or extremely important, all "
                "sectors, with {confidence} confidence intervals.",
                "skill_importance",
                lambda frame, o: charts.plot_skill_importance(frame, **o.labels),
            ),
        ),
        tables=(TablePart("skill_importance", skill_importance_table),),
    ),
    Topic(
        "supply",
        "Demand against training supply",
        "Will the training places cover the hires needing each skill over five years?",
        HIRING,
        "Without a hiring question there is no demand to set against training supply, so "
        "the report has no comparison of hires with training places and no skill-gap index.",
        findings=(
            Finding("offers", "training_offer", findings.offers),
            Finding("supply", "demand_vs_supply", findings.supply),
            Finding("gap", "skill_gap", findings.gap),
        ),
        figures=(
            Figure(
                "fig-supply",
                "Expected hires needing each skill over five years against training places "
                "over the same five years.",
                "demand_vs_supply",
                lambda frame, o: charts.plot_demand_vs_supply(frame, **o.labels),
            ),
            Figure(
                "fig-gap",
                "Skill-gap index: expected hires needing each skill minus training places over "
                "the same five years, with {confidence} confidence intervals.",
                "skill_gap",
                lambda frame, o: comparison.plot_skill_gap(frame, **o.labels),
            ),
        ),
        tables=(
            TablePart("training_offer", training_offer_table),
            TablePart("skill_gap", skill_gap_table),
            TablePart("skill_gap", skill_gap_by_family_table),
        ),
        needs="demand_vs_supply",
        unanswered="Expected hires cannot be set against training places for this wave (there "
        "is no skill taxonomy linking roles to skills, or no organisation answered the hiring "
        "question), so there is no skill-gap index.",
    ),
    Topic(
        "training",
        "Training preferences",
        "Which training formats do organisations prefer?",
        TRAINING,
        "This survey did not ask which training formats organisations prefer.",
        findings=(Finding("training", "training_preference", findings.training),),
        figures=(
            Figure(
                "fig-training",
                "Preferred training formats, share of organisations answering the question.",
                "training_preference",
                lambda frame, o: charts.plot_training_preferences(frame, **o.labels),
            ),
        ),
        tables=(TablePart("training_preference", training_table),),
    ),
)


def topic_section(topic: Topic, meta: ReportMeta, frames: Frames) -> Section:
    """The topic's section: shown when the wave asked its question (and `needs` has rows)."""
    asked = meta.asks(topic.asks)
    if not asked:
        return Section(topic.section, topic.title, False, topic.absent)
    if topic.needs is not None and frames[topic.needs].empty:
        return Section(topic.section, topic.title, False, topic.unanswered)
    return Section(topic.section, topic.title)


FREE_TEXT = "free_text.text"
OPEN_ANSWERS = "open-answers"


def open_answers_section(meta: ReportMeta, frames: Frames) -> Section:
    """The open answers' chapter: shown when the wave has a coded free-text question."""
    title = "Open answers"
    if not meta.asks(FREE_TEXT):
        return Section(OPEN_ANSWERS, title, False, "This survey asked no open question.")
    if frames["text_coding"].empty:
        return Section(
            OPEN_ANSWERS,
            title,
            False,
            "The open answers of this survey are not coded (the codebook has no text_coding, "
            "or nobody answered), so the report does not summarise them.",
        )
    return Section(OPEN_ANSWERS, title)


def report_sections(
    meta: ReportMeta, frames: Frames, chapters: Sequence[tuple[str, str]] = ()
) -> dict[str, Section]:
    """The report's sections in order, keyed by id; the left-out ones say why. `chapters`:
    (id, title) of the generic questions' chapters, after the competence-needs topics and the
    open answers."""
    sections = [
        Section("key-findings", "Summary"),
        *(topic_section(topic, meta, frames) for topic in TOPICS),
        open_answers_section(meta, frames),
        *(Section(chapter_id, title) for chapter_id, title in chapters),
        Section("waves", "Change between waves"),
        Section("method", "Method"),
        Section("data-quality", "Data quality"),
        Section("annex", "Technical annex"),
    ]
    return {s.id: s for s in sections}


def report_chapters(meta: ReportMeta, sections: Mapping[str, Section]) -> list[Chapter]:
    """The chapters of the report in order: the codebook's questions, each with the sections
    shown that it names (a question with none shown is left out: the sections left out say why
    under "Not covered"), then every section shown that no question names, as its own chapter,
    in the order of the topics."""
    named = {s for q in meta.questions for s in q.sections}
    chapters = [
        Chapter(q.id, q.title, shown)
        for q in meta.questions
        if (shown := tuple(s for s in q.sections if sections[s].shown))
    ]
    chapters += [
        Chapter(s, sections[s].title, (s,), own=True)
        for s in REPORT_SECTIONS
        if s not in named and sections[s].shown
    ]
    return chapters


def by_sector(meta: ReportMeta) -> bool:
    """Whether the wave asked for the organisation's sector (else no sector breakdowns)."""
    return meta.asks(SECTOR)


def weighted(frames: Frames) -> bool:
    """Whether the wave was weighted to a population frame (mart_weighting.method not none)."""
    methods = set(frames["weighting"].get("method", pd.Series(dtype="string")).dropna())
    return "none" not in methods

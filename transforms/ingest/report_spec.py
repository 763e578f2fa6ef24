"""Ingest step, codebook: the `report:` section, the questions a survey's report answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from transforms.core.canonical import REPORT_ANCHORS, REPORT_SECTIONS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportQuestion(_Strict):
    """One question the report answers (``report.questions``): a chapter of the report, titled
    by the question, that opens with a plain-language answer drawn from its sections' numbers,
    shows those sections, and ends with what the numbers mean. ``sections`` are report
    sections (transforms.core.canonical.REPORT_SECTIONS) in the order the chapter shows them."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]  # the chapter's anchor
    title: Annotated[str, Field(min_length=1)]  # the question, as the report asks it
    sections: Annotated[tuple[str, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _sections_known(self) -> ReportQuestion:
        unknown = [s for s in self.sections if s not in REPORT_SECTIONS]
        if unknown:
            raise ValueError(
                f"report question {self.id!r} names unknown sections {unknown}; the report's "
                f"sections are {list(REPORT_SECTIONS)}"
            )
        if (
            self.id in REPORT_SECTIONS
            or self.id in REPORT_ANCHORS
            or self.id.startswith("questions-")
        ):
            raise ValueError(
                f"report question id {self.id!r} is taken by a section of every report; "
                "choose another"
            )
        return self


class ReportSpec(_Strict):
    """How the reports are laid out (``report:``). ``questions``: the questions the report
    answers, one chapter each, in order; a section no question names gets a chapter of its own
    after them. Without questions every section is its own chapter."""

    questions: tuple[ReportQuestion, ...] = ()

    @model_validator(mode="after")
    def _each_section_once(self) -> ReportSpec:
        ids = [q.id for q in self.questions]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"report questions share the id(s) {twice}")
        sections = [s for q in self.questions for s in q.sections]
        twice = sorted({s for s in sections if sections.count(s) > 1})
        if twice:
            raise ValueError(f"report sections {twice} are named by more than one question")
        return self

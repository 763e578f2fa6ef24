"""Synthetic sample, assembly: both waves' responses with the quirks a real export has."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from transforms.synthetic.answers import BLOCKS, OTHER_SKILLS_PENDING, Response, answer
from transforms.synthetic.population import (
    Organisation,
    build_population,
    draw_respondents,
    non_respondent,
)
from transforms.synthetic.spec import WAVES
from transforms.synthetic.texts import (
    EMAIL_ANSWER,
    ESCAPE_ANSWER,
    MULTILINE_ANSWER,
    OTHER_SKILLS,
    TRAINING_ESCAPE_ANSWER,
    TRAINING_PHONE_ANSWER,
    TRAINING_SPECIAL,
)

PARTIALS: dict[str, int] = {"2022": 5, "2024": 4}
BAD_HIRES_CELL = ("cdmo", "large", "gmp_manufacturing", "10-15")
TRAINING_SPECIAL_SHARE = 0.45  # finished respondents answering the training question
# The training question's texts come from streams of their own (10 + wave number), drawn after
# every other answer, so adding it moved no other generated value.
TRAINING_STREAM = 10  # sector, size, role, typed text
SECOND_EMAIL_ANSWER = "Kontakta mig gärna: erik.holm@example.com – vi behöver QP-kompetens."


def build_sample(seed: int) -> dict[str, list[Response]]:
    """Responses per wave, in the order the platform exports them (oldest first)."""
    orgs = build_population(_rng(seed, 0))
    out: dict[str, list[Response]] = {}
    for k, wave in enumerate(WAVES, start=1):
        rng = _rng(seed, k)
        chosen = draw_respondents(rng, orgs, wave)
        responses = [answer(rng, org, wave) for org in chosen]
        _draw_free_text(rng, responses)
        _make_partials(rng, responses, PARTIALS[wave])
        if wave == "2022":
            _plant_2022(rng, responses)
        else:
            responses.append(_skipped_sector(rng, orgs, chosen, wave))
            _plant_text(rng, responses, SECOND_EMAIL_ANSWER)
        out[wave] = sorted(responses, key=lambda r: (r.started, r.org.org_id))
        _draw_training_special(_rng(seed, TRAINING_STREAM + k), out[wave], wave)
    return out


def _rng(seed: int, stream: int) -> np.random.Generator:
    """An independent generator per purpose, so one part can change without moving another."""
    return np.random.default_rng([seed, stream])


def _draw_free_text(rng: np.random.Generator, responses: list[Response]) -> None:
    """Give the respondents who wrote something a text each, repeating as little as possible."""
    writers = [r for r in responses if r.other_skills == OTHER_SKILLS_PENDING]
    order = np.concatenate([rng.permutation(len(OTHER_SKILLS)) for _ in range(2)])
    for response, i in zip(writers, order, strict=False):
        response.other_skills = OTHER_SKILLS[int(i)]


def _draw_training_special(rng: np.random.Generator, responses: list[Response], wave: str) -> None:
    """Answers to the training question: finished respondents only (the last page), each text
    repeated as little as possible; 2022 also gets the planted markup and phone answers."""
    finished = [r for r in responses if r.finished and not r.preview]
    writers = [r for r in finished if rng.random() < TRAINING_SPECIAL_SHARE]
    order = np.concatenate([rng.permutation(len(TRAINING_SPECIAL)) for _ in range(3)])
    for response, i in zip(writers, order, strict=False):
        response.training_special = TRAINING_SPECIAL[int(i)]
    if wave == "2022":
        for text in (TRAINING_ESCAPE_ANSWER, TRAINING_PHONE_ANSWER):
            free = [r for r in finished if r.training_special is None]
            free[int(rng.integers(len(free)))].training_special = text


def _make_partials(rng: np.random.Generator, responses: list[Response], count: int) -> None:
    """Turn ``count`` responses in well-filled cells into partial ones (stopped early)."""
    cells = [(r.org.sector, r.org.size) for r in responses]
    eligible = [i for i, c in enumerate(cells) if cells.count(c) >= 7]
    for i in rng.choice(eligible, size=count, replace=False):
        truncate(responses[int(i)], int(rng.integers(1, 6)))


def truncate(response: Response, blocks: int) -> None:
    """Blank every question page after the first ``blocks`` (a respondent who stopped)."""
    response.blocks = blocks
    response.duration_s = int(response.duration_s * blocks / BLOCKS)
    pages = (
        response.hires_1y,
        response.hires_5y,
        response.difficulty,
        response.importance,
        response.shortage,
    )
    for page in pages[max(blocks - 1, 0) :]:
        for key in page:
            page[key] = None
    if blocks < 7:
        response.formats, response.format_other = None, None
    if blocks < 8:
        response.other_skills = None


def _plant_2022(rng: np.random.Generator, responses: list[Response]) -> None:
    """The 2022 quirks: a range in a number cell; free text with PII, markup, a line break."""
    sector, size, role, typed = BAD_HIRES_CELL
    target = next(
        r for r in responses if (r.org.sector, r.org.size) == (sector, size) and r.finished
    )
    target.hires_5y[role] = typed
    target.hires_1y[role] = 4
    _plant_text(rng, responses, EMAIL_ANSWER)
    _plant_text(rng, responses, MULTILINE_ANSWER)
    _plant_text(rng, responses, ESCAPE_ANSWER)
    responses.append(_preview(rng))


def _plant_text(rng: np.random.Generator, responses: list[Response], text: str) -> None:
    """Give ``text`` as the other-skills answer of a finished respondent without one."""
    free = [r for r in responses if r.finished and r.other_skills is None and not r.preview]
    free[int(rng.integers(len(free)))].other_skills = text


def _preview(rng: np.random.Generator) -> Response:
    """The survey owner's test run in preview mode, a week before fieldwork."""
    tester = Organisation(0, "academia", "small", "uppsala", 1.0)
    response = answer(rng, tester, "2022")
    response.formats = ("short_course", "other")
    response.format_other = "test"
    response.preview = True
    response.started = response.started.replace(year=2022, month=3, day=1)
    response.other_skills = "test test – please ignore"
    return response


def _skipped_sector(
    rng: np.random.Generator, orgs: list[Organisation], chosen: list[Organisation], wave: str
) -> Response:
    """A complete response whose organisation-type question was left blank."""
    org = non_respondent(rng, orgs, chosen, ("academia", "small"))
    return replace(answer(rng, org, wave), sector_answer=None)

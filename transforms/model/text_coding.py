"""Model step, free-text coding: open answers → codes of a scheme, by fuzzy matching.

Each coded question (the codebook's ``text_coding``) has a scheme: the skill taxonomy (labels,
codes as words, the taxonomy's ``synonyms`` column and the codebook's ``synonyms.skill``) or a
code list of the codebook (labels, codes as words and ``synonyms.<list>``). Answers and terms
are normalised the same way for matching only (Unicode NFKD with the accents dropped, case
folded, everything but letters and digits a space), all answers at once with Arrow compute.
A term of up to ``SHORT_TERM`` characters (GMP, QC, EMA) must occur as a whole word; a longer
one is scored with rapidfuzz: ``partial_ratio`` (the best-matching stretch of the answer, so a
typo still scores high) and, for a term of several words, ``token_set_ratio`` (the words in
any order). A term longer than the answer is scored with ``ratio`` only, so a short answer
("training") does not match inside a long term ("hands-on practical training"). An answer gets
every code whose best term scores at least the question's ``min_score``; an answer that
reaches none ("n/a", "nothing", "-") is answered but uncoded.

Identical answers (after normalisation) are scored once, and the scoring runs over blocks of
answers × every term with ``rapidfuzz.process.cdist`` in C, so a million answers cost what
their distinct texts cost. Nothing here imports Prefect, reads files or writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process

from transforms.core.errors import CodebookError
from transforms.ingest.codebook import SKILL_SCHEME, UNCODED, Codebook
from transforms.ingest.reference import Reference

SHORT_TERM = 4  # terms of at most this many characters must match a whole word
BLOCK = 20_000  # answers scored per cdist call (a block × every term of float32 scores)
OUTPUT_COLUMNS = ("survey_id", "wave", "respondent_key", "question_id", "code", "score")
_PARENTHESES = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Code:
    """One code of a scheme: its label as published and the terms answers are matched to."""

    code: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """The codes one question's answers are coded to, and the score a match needs."""

    name: str
    min_score: float
    codes: tuple[Code, ...]


def normalise(texts: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> pa.Array:
    """Texts as the coder compares them: accents dropped, case folded, only letters and digits
    separated by single spaces (``"Läkemedels-verket!"`` → ``"lakemedels verket"``)."""
    array = texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(texts, pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = pc.utf8_normalize(array.cast(pa.string()), form="NFKD")
    array = pc.replace_substring_regex(array, pattern=r"\p{Mn}+", replacement="")
    array = pc.utf8_lower(array)
    array = pc.replace_substring_regex(array, pattern=r"[^\p{L}\p{N}]+", replacement=" ")
    return pc.utf8_trim_whitespace(array)


def label_terms(label: str) -> list[str]:
    """A label's terms: the label, the label without its parenthesised part, and each part of
    that ("Quality control and quality assurance (QC/QA)" → also "QC", "QA")."""
    terms = [label]
    inside = _PARENTHESES.findall(label)
    if inside:
        terms.append(_PARENTHESES.sub(" ", label))
        terms += [part for text in inside for part in re.split(r"[/,;]", text)]
    return terms


def make_codes(
    labels: Mapping[str, str],
    extra: Mapping[str, Iterable[str]],
    synonyms: Mapping[str, Iterable[str]],
) -> tuple[Code, ...]:
    """The codes of a scheme with every term each is matched by: its label's terms, the code
    as words, then the terms of ``extra`` (a taxonomy's synonyms) and ``synonyms``."""
    codes = []
    for code, label in labels.items():
        terms = [
            *label_terms(label),
            code.replace("_", " "),
            *extra.get(code, ()),
            *synonyms.get(code, ()),
        ]
        codes.append(Code(code, label, tuple(dict.fromkeys(t.strip() for t in terms if t.strip()))))
    return tuple(codes)


def coding_schemes(codebook: Codebook, reference: Reference) -> dict[str, Scheme]:
    """The scheme of every coded question of the codebook (question id → scheme)."""
    schemes: dict[str, Scheme] = {}
    for question_id, coding in codebook.text_coding.items():
        synonyms = codebook.synonyms.get(coding.scheme, {})
        if coding.scheme == SKILL_SCHEME:
            skills = reference.skills
            labels: dict[str, str] = dict(zip(skills["skill_code"], skills["label"], strict=True))
            given = skills["synonyms"].fillna("")
            extra: dict[str, list[str]] = {
                str(code): [t for t in str(text).split("|") if t.strip()]
                for code, text in zip(skills["skill_code"], given, strict=True)
            }
            if UNCODED in labels:
                raise CodebookError(
                    f"the skill taxonomy has the code {UNCODED!r}, which marks uncoded answers",
                    column=f"text_coding.{question_id}.scheme",
                    value=UNCODED,
                )
        else:
            labels, extra = dict(codebook.codes[coding.scheme]), {}  # codes as words, labels
        codes = make_codes(labels, extra, synonyms)
        schemes[question_id] = Scheme(coding.scheme, coding.min_score, codes)
    return schemes


@dataclass(frozen=True)
class _Terms:
    """A scheme's terms normalised, split into whole-word terms and fuzzy-matched ones."""

    short: list[tuple[str, int]]  # (term, code index)
    long: list[str]
    long_code: np.ndarray  # code index of each long term
    long_length: np.ndarray
    long_words: np.ndarray  # whether a long term has several words


def _terms(scheme: Scheme) -> _Terms:
    pairs = [(term, i) for i, code in enumerate(scheme.codes) for term in code.terms]
    normal = normalise([term for term, _ in pairs]).to_pylist()
    seen: set[tuple[str, int]] = set()
    short: list[tuple[str, int]] = []
    long: list[tuple[str, int]] = []
    for text, (_, index) in zip(normal, pairs, strict=True):
        if not text or (text, index) in seen:
            continue
        seen.add((text, index))
        (short if len(text) <= SHORT_TERM else long).append((text, index))
    return _Terms(
        short=short,
        long=[t for t, _ in long],
        long_code=np.array([i for _, i in long], dtype=np.int64),
        long_length=np.array([len(t) for t, _ in long], dtype=np.int64),
        long_words=np.array([" " in t for t, _ in long], dtype=bool),
    )


def score_texts(texts: list[str], scheme: Scheme) -> np.ndarray:
    """Best score (0-100) of each normalised text for each code: texts × codes, float32."""
    terms = _terms(scheme)
    scores = np.zeros((len(texts), len(scheme.codes)), dtype=np.float32)
    if not texts:
        return scores
    padded = pc.binary_join_element_wise(" ", pa.array(texts, pa.string()), " ", "")
    for term, index in terms.short:  # whole words, in Arrow (C++)
        found = pc.match_substring(padded, f" {term} ").to_numpy(zero_copy_only=False)
        scores[found, index] = 100.0
    if not terms.long:
        return scores
    cutoff = max(float(scheme.min_score) - 1.0, 0.0)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    words = np.flatnonzero(terms.long_words)
    for start in range(0, len(texts), BLOCK):
        block = texts[start : start + BLOCK]
        fits = lengths[start : start + BLOCK, None] >= terms.long_length[None, :]
        whole = process.cdist(block, terms.long, scorer=fuzz.ratio, dtype=np.float32)
        part = process.cdist(
            block, terms.long, scorer=fuzz.partial_ratio, dtype=np.float32, score_cutoff=cutoff
        )
        best = np.where(fits, np.maximum(part, whole), whole)
        if words.size:
            multi = [terms.long[i] for i in words]
            sets = process.cdist(
                block, multi, scorer=fuzz.token_set_ratio, dtype=np.float32, score_cutoff=cutoff
            )
            best[:, words] = np.where(
                fits[:, words], np.maximum(best[:, words], sets), best[:, words]
            )
        for index in np.unique(terms.long_code):
            columns = terms.long_code == index
            rows = slice(start, start + len(block))
            scores[rows, index] = np.maximum(scores[rows, index], best[:, columns].max(axis=1))
    return scores


def code_answers(
    texts: pa.Array | pa.ChunkedArray | Iterable[str | None], scheme: Scheme
) -> pd.DataFrame:
    """The codes of each answer: rows (answer position, code, score) for every code whose score
    reaches the scheme's min_score; an answer without a row is uncoded. Identical normalised
    answers are scored once."""
    normal = normalise(texts)
    encoded = pc.dictionary_encode(normal)
    distinct = [t or "" for t in encoded.dictionary.to_pylist()]
    scores = score_texts(distinct, scheme)
    text_index, code_index = np.nonzero(scores >= scheme.min_score)
    matched = pd.DataFrame(
        {
            "distinct": text_index,
            "code": np.array([c.code for c in scheme.codes], dtype=object)[code_index],
            "score": scores[text_index, code_index].astype(np.float64),
        }
    )
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    answers = pd.DataFrame({"position": np.arange(len(indices)), "distinct": indices})
    rows = answers.merge(matched, on="distinct", how="inner")
    return rows.drop(columns="distinct").sort_values(["position", "code"], ignore_index=True)


def code_free_text(answers: pd.DataFrame, schemes: dict[str, Scheme]) -> pd.DataFrame:
    """Coded rows (survey_id, wave, respondent_key, question_id, code, score) of the free-text
    answers (columns survey_id, wave, respondent_key, question_id, text) of every question that
    has a scheme; questions without one are not coded."""
    parts = []
    for question_id, scheme in schemes.items():
        asked = answers[answers["question_id"] == question_id].reset_index(drop=True)
        if asked.empty:
            continue
        coded = code_answers(pa.array(asked["text"], pa.string()), scheme)
        keys = asked.loc[coded["position"], ["survey_id", "wave", "respondent_key"]]
        parts.append(
            keys.reset_index(drop=True).assign(
                question_id=question_id,
                code=coded["code"].to_numpy(),
                score=coded["score"].to_numpy(),
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in OUTPUT_COLUMNS}).astype(
            {"score": "float64"}
        )
    out = pd.concat(parts, ignore_index=True)
    return out[list(OUTPUT_COLUMNS)].astype({c: "string" for c in OUTPUT_COLUMNS if c != "score"})


def scheme_table(survey_id: str, schemes: dict[str, Scheme]) -> pd.DataFrame:
    """ref_text_code: every code of every coded question's scheme, with its label and place."""
    rows = [
        (survey_id, question_id, scheme.name, code.code, code.label, position)
        for question_id, scheme in schemes.items()
        for position, code in enumerate(scheme.codes, start=1)
    ]
    columns = ["survey_id", "question_id", "scheme", "code", "label", "position"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "string" for c in columns if c != "position"})

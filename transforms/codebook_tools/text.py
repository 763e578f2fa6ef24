"""Codebook tools, text: slugs for codes and ids, and YAML scalars that read back unchanged."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

import yaml

# Plain scalars that read back unchanged in block and flow context (a letter first; no ": ",
# " #", "?", ",", brackets or quotes at the start), unless a YAML 1.1 word (yes, off, null).
_SAFE_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _().'/&+-]*")
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})

_NON_WORD = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 40


def slugify(text: str, *, fallback: str = "x", max_length: int = _MAX_SLUG) -> str:
    """A code such as the codebook uses: lowercase ASCII, digits and "_" ("Västra Götaland" ->
    "vastra_gotaland"), cut at a word boundary to ``max_length``; ``fallback`` when empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("_", ascii_text.lower()).strip("_")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("_", 1)[0] if "_" in cut else cut
    return slug or fallback


def unique_slug(text: str, taken: set[str], *, fallback: str = "x") -> str:
    """slugify(text), with _2, _3 ... appended until it is not in ``taken``; added to it."""
    base = slugify(text, fallback=fallback)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}_{n}"
    taken.add(slug)
    return slug


def normalised_name(text: str) -> str:
    """A header reduced to lowercase letters and digits, for matching names ("IP Address",
    "ipAddress" and "IPAddress" all give "ipaddress")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _reads_back(probe: str, expected: object) -> bool:
    """True when ``probe`` reads back as ``expected`` with the loader load_codebook uses (the
    pure-Python one: libyaml disagrees on some flow scalars such as ``{k: text?}``)."""
    try:
        return bool(yaml.safe_load(probe) == expected)
    except yaml.YAMLError:
        return False


def scalar(value: str | int | bool | None, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _string(value, flow)


@lru_cache(maxsize=4096)
def _string(value: str, flow: bool) -> str:
    if value == value.strip() and _surely_plain(value):
        return value
    probe = f"{{k: {value}}}" if flow else f"k: {value}"
    if _plain_candidate(value) and _reads_back(probe, {"k": value}):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_candidate(value: str) -> bool:
    return bool(value) and "#" not in value and "\n" not in value and value == value.strip()


def _surely_plain(value: str) -> bool:
    return bool(_SAFE_PLAIN.fullmatch(value)) and value.lower() not in _YAML_WORDS


def key(value: str | int) -> str:
    """``value`` as a YAML mapping key (block style)."""
    if isinstance(value, int):
        return str(value)
    return _key(value)


@lru_cache(maxsize=4096)
def _key(value: str) -> str:
    if _surely_plain(value):
        return value
    if _plain_candidate(value) and _reads_back(f"{value}: x", {value: "x"}):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow_list(values: list[str]) -> str:
    """A one-line YAML list: ``[a, "b, c"]``."""
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def comment_text(text: str) -> str:
    """Text safe inside a one-line YAML comment (line breaks folded)."""
    return " ".join(text.split())

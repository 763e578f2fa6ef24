"""Synthetic sample, YAML text: scalars, keys and folded prose as the generated codebook writes
them (plain where they read back unchanged, else quoted)."""

from __future__ import annotations

import json
import textwrap

import yaml


def q(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    probe = f"{{k: {text}}}" if flow else f"k: {text}"
    try:
        if yaml.safe_load(probe) == {"k": text} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def qk(text: str) -> str:
    """``text`` as a YAML mapping key."""
    try:
        if yaml.safe_load(f"{text}: x") == {text: "x"} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def prose(key: str, text: str, indent: int) -> list[str]:
    """``key: text``, folded over several lines (YAML ``>-``) when it is long."""
    pad = " " * indent
    if len(pad) + len(key) + len(text) < 96:
        return [f"{pad}{key}: {q(text)}"]
    wrapped = textwrap.wrap(text, 94 - indent, break_on_hyphens=False, break_long_words=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in wrapped)]

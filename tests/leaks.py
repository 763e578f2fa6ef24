"""Test helper: look for personal values and e-mail addresses in published text, one pass each.

Checking n values with `value in text` reads the text n times: the end-to-end test has about
1,250 values and 13 MB of published text. A plain alternation `a|b|c` is no better in Python's
`re`, which tries every branch at every position (about a minute here). `ValueScan` compiles
the values as a trie instead, `ab(?:c|d)`, so a position costs about one character test per
level, and the text is read once (about 2 s).

`EMAIL` is the end-to-end test's address pattern, anchored to the start of a run of address
characters. Unanchored, `[\\w.+-]+@…` retries a run from each of its characters, quadratic in
its length: a report embeds its fonts as base64, runs of 80,000 characters, and the search took
minutes. The leftmost match always starts a run, so the anchored pattern finds the same one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")

_END = ""  # trie key marking that a value ends at this node (no character is "")
_Trie = dict[str, "_Trie"]


def values_pattern(values: Iterable[str]) -> re.Pattern[str]:
    """One pattern that matches where any of the values occurs; never, when there are none."""
    trie: _Trie = {}
    for value in values:
        node = trie
        for char in value:
            node = node.setdefault(char, {})
        node[_END] = {}
    return re.compile(_alternatives(trie) if trie else "(?!)")


def _alternatives(node: _Trie) -> str:
    """The pattern of a trie node: each child's character and its subtree, one of them."""
    branches = []
    for char, child in sorted(node.items()):
        if char == _END:
            continue
        chain = [char]
        while len(child) == 1 and _END not in child:  # a run without branches: plain characters
            ((char, child),) = child.items()
            chain.append(char)
        branches.append(re.escape("".join(chain)) + _alternatives(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if _END in node else body


class ValueScan:
    """Which of a set of values occur in a text, for many texts, reading each text once."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = frozenset(values)
        self.pattern = values_pattern(self.values)

    def found_in(self, text: str) -> list[str]:
        """The values that occur in text, sorted (also those only inside another value).

        One search answers whether any does; only when one does is each value looked up, so
        a failure names every leaked value, as `[v for v in values if v in text]` would.
        """
        if self.pattern.search(text) is None:
            return []
        return sorted(v for v in self.values if v in text)

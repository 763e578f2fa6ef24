"""Model step, disclosure control: secondary suppression, so no hidden cell can be worked out.

The SQL marts apply the primary rule (too few respondents or contributors). A hidden cell can
still be recovered when the cells that are published add up to it: a sector's hires are the
'all sectors' total minus the other sectors, a skill's demand is the sum of its roles' hires.
This module finds a set of further (secondary) cells to hide so that no hidden cell is
determined by the published ones.

Every cell of a published table is a known linear combination of *atoms*, the finest values
the table is built from (e.g. the role × sector hiring totals): an interior cell is one atom,
a total the sum of its atoms. A hidden cell is determined exactly when its vector lies in the
span of the published cells' vectors; `protect` adds hidden cells, cheapest first, until no
hidden cell is. With only one equation per line (a one-way table) this is the familiar rule
"never leave a single hidden cell in a row or column"; on a two-way table with totals and the
skill sums it also catches patterns that rule misses (a hidden cell bridging two otherwise
protected blocks).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """One published cell: its identity, its atoms, whether the SQL hid it, and its cost.

    `cost` orders candidates for secondary suppression: the smallest tuple is hidden first
    (e.g. (level, is_zero, value): interior before totals, non-zero before zero, small first).
    """

    id: Hashable
    atoms: Mapping[Hashable, float]
    primary: bool
    cost: tuple[float, ...]


def protect(cells: Sequence[Cell], lines: Sequence[Sequence[Hashable]]) -> list[Hashable]:
    """The ids of the cells to hide in addition to the primary ones, in the order chosen.

    `lines` are the table's additive relations, each the ids of the cells in one equation (a
    total and its parts). First rule: a line never holds exactly one hidden cell; the cell
    hidden with it is the line's published member that leaves the fewest other lines with a
    single hidden cell, then the cheapest. When no line has a single hidden cell, the span
    check runs: a hidden cell still determined by the published ones (e.g. a bridge between
    two protected blocks) gets a further cell hidden from one of its lines. Each step hides
    one more cell, so the loop ends. Cells without atoms (always 0) are ignored.
    """
    matrix = _matrix(cells)
    position = {cell.id: i for i, cell in enumerate(cells)}
    live = {i for i in range(len(cells)) if np.any(matrix[i])}
    members = [[position[m] for m in line if position[m] in live] for line in lines]
    members = [line for line in members if len(line) > 1]
    hidden = {i for i in live if cells[i].primary}
    chosen: list[Hashable] = []
    while True:
        pick = _singleton_complement(members, hidden, cells)
        if pick is None:
            published = sorted(live - hidden)
            basis = _row_basis(matrix[published])
            exposed = [u for u in sorted(hidden) if _in_span(matrix[u], basis)]
            if not exposed:
                return chosen
            pick = _span_complement(matrix, published, exposed[0], members, hidden, cells)
        hidden.add(pick)
        chosen.append(cells[pick].id)


def _new_singletons(candidate: int, members: list[list[int]], hidden: set[int]) -> int:
    """How many lines through `candidate` would be left with one hidden cell by hiding it."""
    return sum(1 for line in members if candidate in line and not any(m in hidden for m in line))


def _ranked(
    candidates: list[int], members: list[list[int]], hidden: set[int], cells: Sequence[Cell]
) -> list[int]:
    return sorted(
        candidates,
        key=lambda i: (_new_singletons(i, members, hidden), cells[i].cost, i),
    )


def _singleton_complement(
    members: list[list[int]], hidden: set[int], cells: Sequence[Cell]
) -> int | None:
    for line in members:
        if sum(1 for m in line if m in hidden) == 1:
            published = [m for m in line if m not in hidden]
            return _ranked(published, members, hidden, cells)[0]
    return None


def _span_complement(
    matrix: Matrix,
    published: list[int],
    exposed: int,
    members: list[list[int]],
    hidden: set[int],
    cells: Sequence[Cell],
) -> int:
    """The published cell to hide next so that `exposed` is (more nearly) undetermined."""
    near = {m for line in members if exposed in line for m in line if m not in hidden}
    if not near:  # a cell outside every line: fall back on every published cell
        near = set(published)
    candidates = _ranked(sorted(near), members, hidden, cells)
    for candidate in candidates:
        rest = [i for i in published if i != candidate]
        if not _in_span(matrix[exposed], _row_basis(matrix[rest])):
            return candidate
    return candidates[0]


def determined(cells: Sequence[Cell], hidden: set[Hashable]) -> list[Hashable]:
    """Ids of the hidden cells the published cells determine (empty when protected)."""
    matrix = _matrix(cells)
    published = [i for i, c in enumerate(cells) if c.id not in hidden and np.any(matrix[i])]
    basis = _row_basis(matrix[published])
    return [
        c.id
        for i, c in enumerate(cells)
        if c.id in hidden and np.any(matrix[i]) and _in_span(matrix[i], basis)
    ]


def _matrix(cells: Sequence[Cell]) -> Matrix:
    index: dict[Hashable, int] = {}
    for cell in cells:
        for atom in cell.atoms:
            index.setdefault(atom, len(index))
    matrix = np.zeros((len(cells), max(len(index), 1)))
    for i, cell in enumerate(cells):
        for atom, coefficient in cell.atoms.items():
            matrix[i, index[atom]] = coefficient
    return matrix


def _row_basis(rows: Matrix) -> Matrix:
    """An orthonormal basis of the rows' span (one basis vector per row of the result)."""
    if rows.shape[0] == 0:
        return np.zeros((0, rows.shape[1]))
    _, singular, vt = np.linalg.svd(rows, full_matrices=False)
    rank = int(np.sum(singular > _TOLERANCE * max(singular[0], 1.0)))
    return vt[:rank]


def _in_span(vector: Matrix, basis: Matrix) -> bool:
    residual = vector - basis.T @ (basis @ vector)
    return bool(np.linalg.norm(residual) <= 1e-7 * max(1.0, float(np.linalg.norm(vector))))

"""Ingest step, multi-select: split a joined answer cell with the codebook's choice list."""

from __future__ import annotations


def split_joined(cell: str, delimiter: str, choices: list[str]) -> list[str]:
    """Split ``cell`` on ``delimiter``, keeping known choices that contain the delimiter whole.

    Platforms join selected choice texts with a delimiter that may also occur inside a choice
    ("On-the-job training, mentoring, or job rotation"). Walking the pieces left to right, the
    longest run of pieces that re-joins to a known choice wins; a piece that matches nothing is
    returned as it is, so validation can report it.
    """
    pieces = cell.split(delimiter)
    known = {choice.strip() for choice in choices}
    out: list[str] = []
    i = 0
    while i < len(pieces):
        match_end = None
        for j in range(len(pieces), i, -1):
            candidate = delimiter.join(pieces[i:j]).strip()
            if candidate in known:
                match_end = j
                break
        if match_end is None:
            piece = pieces[i].strip()
            if piece:
                out.append(piece)
            i += 1
        else:
            out.append(delimiter.join(pieces[i:match_end]).strip())
            i = match_end
    return out

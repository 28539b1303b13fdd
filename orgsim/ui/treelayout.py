"""Where the boxes of an uneven org chart go: a tidy tree whose lowest parts stack.

A chart of several hundred people drawn as one row of teams gives each team a few
pixels. Org-chart tools stack instead (Walker's tidy tree, with the "compact" leaf
stacking of Visio and OrgVue): a manager whose reports are all teams lists them in a
column under it, indented, and the subtrees of one parent are packed side by side
within the chart's width (:func:`_flow`). So the width follows the width available,
not the number of teams, and every label keeps its size.

Walker, J. Q. (1990). A node-positioning algorithm for general trees. Software:
Practice and Experience 20(7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(eq=False)
class Box:
    """One box of the chart (an approver, coaches or a team) and the boxes below it.

    ``x`` and ``y`` (its top-left corner) are set by :func:`place`.
    """

    key: object
    width: float
    height: float
    children: list[Box] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class Spacing:
    """Gaps between boxes: beside each other, between rows, and a stack's indent.

    ``stack_leaves``: a manager's teams are listed below it (False: side by side, for
    teams drawn person by person, which are wide rather than tall).
    """

    gap: float
    row: float
    indent: float
    stack_leaves: bool = True


@dataclass
class _Block:
    """A placed subtree: its size, and its boxes and lines relative to its corner."""

    width: float
    height: float
    boxes: list[tuple[Box, float, float]]
    lines: list[tuple[float, float, float, float]]

    def moved(self, dx: float, dy: float) -> _Block:
        return _Block(
            self.width,
            self.height,
            [(box, x + dx, y + dy) for box, x, y in self.boxes],
            [(x1 + dx, y1 + dy, x2 + dx, y2 + dy) for x1, y1, x2, y2 in self.lines],
        )


def place(
    roots: list[Box], width: float, spacing: Spacing
) -> tuple[float, float, list[tuple[float, float, float, float]]]:
    """Place ``roots`` and their boxes within ``width``; the chart's size and its lines.

    Sets every box's ``x`` and ``y``. A chart wider than ``width`` happens only when one
    stack is wider than it.
    """
    block = _flow([_block(root, width, spacing) for root in roots], width, spacing)
    for box, x, y in block.boxes:
        box.x, box.y = x, y
    return block.width, block.height, block.lines


def _block(box: Box, width: float, spacing: Spacing) -> _Block:
    """``box`` and its subtree: a leaf, a box beside its one team, a stack, or a flow."""
    if not box.children:
        return _Block(box.width, box.height, [(box, 0.0, 0.0)], [])
    if len(box.children) == 1 and not box.children[0].children:
        return _beside(box, box.children[0], spacing)
    blocks = [_block(child, width, spacing) for child in box.children]
    rows = all(_compact(child) for child in box.children)
    if rows and (spacing.stack_leaves or any(child.children for child in box.children)):
        return _stack(box, blocks, spacing)
    below = _flow(blocks, width, spacing)
    top = spacing.row + box.height
    below = below.moved(0.0, top)
    x = max(0.0, min(below.width - box.width, _first_line_middle(below, top) - box.width / 2))
    middle = x + box.width / 2
    lines = [
        (middle, box.height, child_x + child.width / 2, child_y)
        for child, child_x, child_y in below.boxes
        if child in box.children
    ]
    return _Block(
        max(below.width, box.width),
        top + below.height,
        [(box, x, 0.0), *below.boxes],
        lines + below.lines,
    )


def _compact(box: Box) -> bool:
    """A team, or a manager with one team: one row of a stack."""
    return not box.children or (len(box.children) == 1 and not box.children[0].children)


def _first_line_middle(below: _Block, top: float) -> float:
    """The middle of the boxes that start the first line of a flow."""
    first = [(x, box.width) for box, x, y in below.boxes if y == top]
    return (min(x for x, _ in first) + max(x + w for x, w in first)) / 2


def _beside(box: Box, child: Box, spacing: Spacing) -> _Block:
    """A manager with its one team to its right, on one row."""
    x = box.width + spacing.gap
    middle = min(box.height, child.height) / 2
    return _Block(
        x + child.width,
        max(box.height, child.height),
        [(box, 0.0, 0.0), (child, x, 0.0)],
        [(box.width, middle, x, middle)],
    )


def _stack(box: Box, blocks: list[_Block], spacing: Spacing) -> _Block:
    """A manager and the rows below it (teams, or managers beside their team), indented."""
    boxes, lines = [(box, 0.0, 0.0)], []
    y, bus = box.height + spacing.gap / 2, spacing.indent / 2
    for block in blocks:
        first = block.boxes[0][0]
        boxes += block.moved(spacing.indent, y).boxes
        lines += block.moved(spacing.indent, y).lines
        lines.append((bus, y + first.height / 2, spacing.indent, y + first.height / 2))
        y += block.height + spacing.gap / 2
    lines.append((bus, box.height, bus, lines[-1][1]))
    width = max(box.width, spacing.indent + max(block.width for block in blocks))
    return _Block(width, y - spacing.gap / 2, boxes, lines)


def _flow(blocks: list[_Block], width: float, spacing: Spacing) -> _Block:
    """Blocks side by side, top-aligned where they can be, within ``width``.

    Each block goes where its top is highest, then leftmost, over a skyline of the
    blocks placed before it (bottom-left skyline packing, Burke, Kendall & Whitwell
    2004): a short department slips under a short neighbour instead of waiting for the
    tallest block of a line to end. The blocks go in the chart's order, or narrowest
    first, or shortest first, whichever makes the lowest chart (the chart's order on a
    tie).
    """
    orders = [blocks, sorted(blocks, key=lambda b: b.width), sorted(blocks, key=lambda b: b.height)]
    return min((_packed(order, width, spacing) for order in orders), key=lambda b: b.height)


def _packed(blocks: list[_Block], width: float, spacing: Spacing) -> _Block:
    """Blocks placed in this order by :func:`_flow`'s skyline."""
    gap = spacing.gap * 2
    skyline = [(0.0, math.inf, 0.0)]  # (from x, to x, the lowest y a block may take there)
    boxes, drawn, widest, bottom = [], [], 0.0, 0.0
    for block in blocks:
        x, y = _lowest_place(skyline, block.width + gap, width)
        moved = block.moved(x, y)
        boxes += moved.boxes
        drawn += moved.lines
        widest, bottom = max(widest, x + block.width), max(bottom, y + block.height)
        skyline = _raised(skyline, x, x + block.width + gap, y + block.height + spacing.row)
    return _Block(widest, bottom, boxes, drawn)


def _lowest_place(
    skyline: list[tuple[float, float, float]], needed: float, width: float
) -> tuple[float, float]:
    """The highest, then leftmost, corner where ``needed`` fits (anywhere if nothing does)."""
    best = None
    for start, _, _ in skyline:
        if start > 0 and start + needed > width + _SLACK:
            continue
        top = max(y for x0, x1, y in skyline if x0 < start + needed and x1 > start)
        if best is None or top < best[1] - _SLACK:
            best = (start, top)
    assert best is not None  # x = 0 is always a candidate
    return best


def _raised(
    skyline: list[tuple[float, float, float]], left: float, right: float, y: float
) -> list[tuple[float, float, float]]:
    """The skyline with ``[left, right)`` raised to ``y``."""
    raised = []
    for x0, x1, height in skyline:
        if x1 <= left or x0 >= right:
            raised.append((x0, x1, height))
            continue
        if x0 < left:
            raised.append((x0, left, height))
        if x1 > right:
            raised.append((right, x1, height))
    raised.append((left, right, y))
    return sorted(raised)


_SLACK = 1e-6

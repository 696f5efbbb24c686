"""An explorer's readout as a short table, with the readout text as the plain-text fallback.

A readout is a few lines of text, most of them ``label: value``. :func:`readout_table` shows
them as a two-column HTML table (label | value); :func:`comparison_table` puts the readouts of
several settings side by side, one column each. The ``text/plain`` fallback is the readout text
itself, which is what nbval compares, so a number that changes still fails the notebook test.

Examples
--------
>>> t = readout_table("Peak (Cmax): 183 ng/mL.\\nTwo-compartment teaching model.", "IV infusion")
>>> print(t.text)
Peak (Cmax): 183 ng/mL.
Two-compartment teaching model.
>>> '<th scope="row">Peak (Cmax)</th><td>183 ng/mL.</td>' in t._repr_html_()
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

#: ``label: value`` with a short label and no sentence before the colon.
_ROW = re.compile(r"^(?:- )?(?P<label>[^:]{1,70}?):\s+(?P<value>.+)$")


def rows(text: str) -> list[tuple[str | None, str]]:
    """Split a readout into (label, value) rows; a line with no short label gives (None, line).

    Examples
    --------
    >>> rows("Relative change: -48 %.\\n- NMDA receptor: decrease (1 path)\\nA note.")
    [('Relative change', '-48 %.'), ('NMDA receptor', 'decrease (1 path)'), (None, 'A note.')]
    """
    out: list[tuple[str | None, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = _ROW.match(line)
        out.append((m["label"], m["value"]) if m else (None, line))
    return out


class ReadoutTable:
    """A readout (or several) as an HTML table; ``text/plain`` is the readout text.

    Attributes
    ----------
    title : str
        The table's caption.
    text : str
        The plain-text fallback (the readout text).
    """

    def __init__(self, title: str, columns: Mapping[str, str]):
        if not columns:
            raise ValueError("a readout table needs at least one readout")
        self.title = title
        self.columns = dict(columns)
        if len(self.columns) == 1:
            self.text = next(iter(self.columns.values())).rstrip("\n")
        else:
            self.text = "\n\n".join(f"{name}:\n{text.rstrip()}" for name, text in self.columns.items())

    def _body(self) -> str:
        names = list(self.columns)
        parsed = [rows(self.columns[n]) for n in names]
        esc = html.escape
        if len(names) == 1:
            return "".join(
                f'<tr><th scope="row">{esc(label)}</th><td>{esc(value)}</td></tr>' if label
                else f'<tr><td colspan="2">{esc(value)}</td></tr>' for label, value in parsed[0])
        cols = "".join(f'<th scope="col">{esc(n)}</th>' for n in names)
        head = f"<thead><tr><td></td>{cols}</tr></thead>"
        if len({len(p) for p in parsed}) != 1:  # different shapes: one row per setting
            body = "".join(f'<tr><th scope="row">{esc(n)}</th><td>{esc(self.columns[n].strip())}</td></tr>'
                           for n in names)
            return "<tbody>" + body + "</tbody>"
        body = []
        for cells in zip(*parsed, strict=True):
            labels = {label for label, _ in cells}
            values = [value for _, value in cells]
            label = cells[0][0] if len(labels) == 1 and None not in labels else None
            shown = values if label else [(f"{lab}: " if lab else "") + v for lab, v in cells]
            if len(set(shown)) == 1:
                body.append(f'<tr><th scope="row">{esc(label or "")}</th>'
                            f'<td colspan="{len(names)}">{esc(shown[0])}</td></tr>')
            else:
                body.append(f'<tr><th scope="row">{esc(label or "")}</th>'
                            + "".join(f"<td>{esc(v)}</td>" for v in shown) + "</tr>")
        return head + "<tbody>" + "".join(body) + "</tbody>"

    def _repr_html_(self) -> str:
        return (f'<table class="mechlib-readout"><caption>{html.escape(self.title)}</caption>'
                f"{self._body()}</table>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def readout_table(text: str, title: str) -> ReadoutTable:
    """One readout as a two-column table.

    Parameters
    ----------
    text : str
        The readout, as :func:`mechlib.explorers.readout` returns it.
    title : str
        The caption, e.g. the explorer's name and its settings.

    Raises
    ------
    ValueError
        If the readout is empty.

    Examples
    --------
    >>> readout_table("", "x")
    Traceback (most recent call last):
    ...
    ValueError: the readout is empty; a readout table needs at least one line
    """
    if not text.strip():
        raise ValueError("the readout is empty; a readout table needs at least one line")
    return ReadoutTable(title, {title: text})


def comparison_table(readouts: Mapping[str, str], title: str) -> ReadoutTable:
    """Several readouts side by side, one column per setting; rows that agree span the columns.

    Parameters
    ----------
    readouts : mapping of str to str
        Column name (the setting, e.g. ``"Dose held"``) to its readout text.
    title : str
        The caption.

    Raises
    ------
    ValueError
        If there are fewer than two readouts, or one is empty.

    Examples
    --------
    >>> t = comparison_table({"A": "Change: -48 %.\\nSame note.", "B": "Change: +5 %.\\nSame note."},
    ...                      "Hold or delay")
    >>> '<td>-48 %.</td><td>+5 %.</td>' in t._repr_html_() and 'colspan="2">Same note.' in t._repr_html_()
    True
    """
    if len(readouts) < 2:
        raise ValueError("a comparison needs two or more readouts; use readout_table for one")
    empty = [name for name, text in readouts.items() if not text.strip()]
    if empty:
        raise ValueError(f"the readout for {empty[0]!r} is empty; each setting needs a readout")
    return ReadoutTable(title, readouts)

"""Self-check questions as widgets: a "Check" button calls :func:`mechlib.teaching.quiz.check`.

Examples
--------
>>> view = show("start_what_suite_is")
>>> repr(view).splitlines()[0]
'**Self-check** (choose one): What does this suite give you?'
"""

from __future__ import annotations

import html
from typing import Any

from mechlib.data import Quiz
from mechlib.style import VERDICT_COLOURS
from mechlib.teaching.quiz import as_html, as_text, check, hint, question, questions, shown_options


class QuizView:
    """A quiz widget that also carries a text rendering, for views without widgets.

    Displaying it in a notebook shows the widget where widgets work; nbconvert, GitHub and
    text-only front ends fall back to the question text (never the answer).

    Attributes
    ----------
    widget : ipywidgets.Widget
        The container (CSS class ``mechlib-quiz`` on each question).
    text : str
        The Markdown/plain-text rendering.
    """

    def __init__(self, widget: Any, text: str, html_text: str):
        self.widget = widget
        self.text = text
        self.html = html_text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_())
        bundle["text/plain"] = self.text
        bundle["text/markdown"] = self.text
        bundle["text/html"] = self.html
        return bundle

    def __repr__(self) -> str:
        return self.text


#: The selectors under which the dark colours apply: JupyterLab's dark themes (and Voila, which
#: sets the same attribute), and a dark page of the offline site.
_DARK = ('body[data-jp-theme-light="false"]', 'html[data-theme="dark"]')


def _verdict_css() -> str:
    """The verdict line's colours: light by default, dark under :data:`_DARK`; explanation uncoloured."""
    light, dark = VERDICT_COLOURS["light"], VERDICT_COLOURS["dark"]
    css = "".join(f".mechlib-verdict-{k}{{color:{c}}}" for k, c in light.items())
    for k, c in dark.items():
        css += ",".join(f"{d} .mechlib-verdict-{k}" for d in _DARK) + f"{{color:{c}}}"
    return css + ".mechlib-verdict-none{color:inherit}.mechlib-feedback-body{line-height:1.5}"


#: Long option texts wrap beside their radio button or tick box (ipywidgets gives a radio label
#: one line and truncates a checkbox label); the verdict line alone is coloured.
_STYLE = (
    "<style>"
    ".mechlib-quiz .widget-radio-box label, .mechlib-quiz .jupyter-widget-radio-box label"
    "{display:flex;align-items:flex-start;gap:0.4em;height:auto;"
    "min-height:var(--jp-widgets-radio-item-height);line-height:1.4;white-space:normal;padding:2px 0}"
    ".mechlib-quiz .widget-radio-box input, .mechlib-quiz .jupyter-widget-radio-box input"
    "{flex:none;order:-1;margin:0.2em 0 0 0}"  # ipywidgets puts the input after the text
    ".mechlib-quiz .widget-checkbox, .mechlib-quiz .jupyter-widget-checkbox{height:auto;width:100%}"
    ".mechlib-quiz .widget-checkbox .widget-label-basic,"
    " .mechlib-quiz .jupyter-widget-checkbox .jupyter-widget-label-basic"
    "{display:flex;align-items:flex-start;gap:0.4em;white-space:normal;overflow:visible;"
    "line-height:1.4;height:auto}"
    ".mechlib-quiz .widget-label-basic input, .mechlib-quiz .jupyter-widget-label-basic input"
    "{flex:none;margin-top:0.2em}"
    ".mechlib-quiz .widget-label-basic span, .mechlib-quiz .jupyter-widget-label-basic span"
    "{white-space:normal;overflow:visible}"
    + _verdict_css() +
    "</style>"
)


def _numeric_response(value: float, edited: bool) -> float | None:
    """What the numeric widget's Check button submits: None until the student has typed."""
    return value if edited else None


def _question_widget(q: Quiz) -> Any:
    import ipywidgets as w

    kind = hint(q).strip()
    prompt = w.HTML(f"{_STYLE}<div style=\"line-height:1.5\"><b>{html.escape(q.prompt)}</b>"
                    + (f" <i>{html.escape(kind)}</i>" if kind else "") + "</div>",
                    layout=w.Layout(width="100%"))
    watched: list[Any] = []
    if q.type == "multiple_choice":
        control = w.RadioButtons(options=[(o.text, o.id) for o in shown_options(q)], value=None,
                                 layout=w.Layout(width="100%"))
        watched.append(control)

        def response() -> Any:
            return control.value
    elif q.type == "multiple_select":
        options = shown_options(q)
        boxes = [w.Checkbox(value=False, description=o.text, indent=False,
                            layout=w.Layout(width="100%")) for o in options]
        control = w.VBox(boxes)
        watched += boxes

        def response() -> Any:
            return tuple(o.id for o, b in zip(options, boxes, strict=True) if b.value)
    else:
        control = w.FloatText(value=0.0, description=f"Answer ({q.unit}):",
                              style={"description_width": "initial"})
        edited = [False]
        control.observe(lambda _change: edited.__setitem__(0, True), names="value")
        watched.append(control)

        def response() -> Any:
            return _numeric_response(control.value, edited[0])

    button = w.Button(description="Check", tooltip="Mark your answer and show the explanation")
    feedback = w.HTML(value="", layout=w.Layout(width="100%"))
    feedback.add_class("mechlib-feedback")

    def on_check(_button: Any) -> None:
        feedback.value = check(q.id, response()).html()

    def on_change(_change: Any) -> None:  # feedback on an earlier answer no longer applies
        feedback.value = ""

    button.on_click(on_check)
    for widget in watched:
        widget.observe(on_change, names="value")
    box = w.VBox([prompt, control, button, feedback], layout=w.Layout(margin="0 0 1em 0"))
    box.add_class("mechlib-quiz")
    return box


def show(question_id: str) -> QuizView:
    """An interactive self-check for one question (no answer shown before "Check").

    Parameters
    ----------
    question_id : str
        An id from ``data/quizzes.yaml``.

    Returns
    -------
    QuizView
        Displays as the widget, with the question text as a static fallback.

    Raises
    ------
    ValueError
        If the question is unknown.

    Examples
    --------
    >>> view = show("lam_rash_onset")
    >>> "mechlib-quiz" in view.widget._dom_classes
    True
    >>> sorted(view._repr_mimebundle_())  # doctest: +NORMALIZE_WHITESPACE
    ['application/vnd.jupyter.widget-view+json', 'text/html', 'text/markdown', 'text/plain']
    """
    q = question(question_id)
    return QuizView(_question_widget(q), as_text(q.id), as_html(q.id))


def show_lesson(lesson_id: str) -> QuizView:
    """All self-checks of a lesson, one under the other.

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``.

    Returns
    -------
    QuizView

    Raises
    ------
    ValueError
        If the lesson is unknown or has no questions.

    Examples
    --------
    >>> view = show_lesson("00_start_here")
    >>> len(view.widget.children)
    2
    """
    import ipywidgets as w

    qs = questions(lesson_id)
    if not qs:
        raise ValueError(f"lesson {lesson_id!r} has no questions in quizzes.yaml")
    box = w.VBox([_question_widget(q) for q in qs])
    box.add_class("mechlib-quiz-lesson")
    text = "\n\n".join(as_text(q.id) for q in qs)
    return QuizView(box, text, "<hr>".join(as_html(q.id) for q in qs))

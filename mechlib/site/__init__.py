"""The offline course site (``make html``): what the site builder needs from the library.

:mod:`~mechlib.site.frames` renders every explorer's frames ahead of time,
:mod:`~mechlib.site.explorer_page` turns them into labelled static controls,
:mod:`~mechlib.site.quizzes` writes the self-checks as forms marked in the browser
(``static/mechlib-site.js``), and :mod:`~mechlib.site.pages` writes the glossary, bibliography
and answer key. ``scripts/build_site.py`` puts them together with Sphinx and MyST-NB.
This layer sits above :mod:`mechlib.explorers` and the teaching modules; it never imports
:mod:`mechlib.widgets`.
"""

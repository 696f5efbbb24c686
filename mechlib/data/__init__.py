"""Load and validate everything in ``data/`` into typed, read-only records.

One call, :func:`load`, reads every file, checks its shape (JSON Schema, see
:mod:`mechlib.data.schema`) and then the rules that span files (unknown ids, dangling references,
impossible values). Every problem is reported at once, each naming the file, the entry and what
is allowed. Results are cached until a file changes.

Examples
--------
>>> data = load()
>>> data.drug("lamotrigine").param("half_life").value
25.4
>>> data.reference("kuo1998").citation
'Kuo 1998'
>>> data.drug("aspirin")
Traceback (most recent call last):
...
ValueError: unknown drug 'aspirin'; allowed: ketamine, lamotrigine
"""


from mechlib.data.loader import (
    OPTIONAL_FILES,
    REQUIRED_FILES,
    default_data_dir,
    held,
    load,
    validate,
)
from mechlib.data.records import (
    Bearing,
    Claim,
    Comedication,
    DataError,
    DataProblem,
    Dataset,
    Drug,
    Edge,
    Evidence,
    Hypothesis,
    Lesson,
    Node,
    Outcome,
    Parameter,
    Prerequisite,
    Prompt,
    Quiz,
    QuizOption,
    Reference,
    Statement,
    Study,
    Term,
    Titration,
    TitrationStep,
    find,
)
from mechlib.data.rules import REQUIRED_NODES
from mechlib.data.schema import PK_MODELS

__all__ = [
    "OPTIONAL_FILES", "PK_MODELS", "REQUIRED_FILES", "REQUIRED_NODES", "Bearing", "Claim",
    "Comedication", "DataError",
    "DataProblem", "Dataset", "Drug", "Edge", "Evidence", "Hypothesis", "Lesson", "Node", "Outcome",
    "Parameter", "Prerequisite", "Prompt", "Quiz", "QuizOption", "Reference", "Statement", "Study",
    "Term", "Titration", "TitrationStep", "default_data_dir", "find", "held", "load", "validate",
]

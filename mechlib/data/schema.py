"""JSON Schemas for the files in ``data/`` (their shape only; cross-file rules live in
:mod:`mechlib.data`).

Each schema is a plain dict, so an instructor's editor or any JSON Schema tool can use it too.
The schemas of the virtual-patient, interaction and exercise files live in
:mod:`mechlib.data.labs`; the loader adds them to :data:`SCHEMAS`.

Examples
--------
>>> sorted(SCHEMAS)  # doctest: +NORMALIZE_WHITESPACE
['claims.yaml', 'drugs.yaml', 'exercises.yaml', 'glossary.yaml', 'interaction.yaml', 'lessons.yaml',
 'mechanisms.yaml', 'population.yaml', 'prompts.yaml', 'quizzes.yaml', 'references.yaml', 'studies.yaml']
"""

from __future__ import annotations

from mechlib.data.units import KINDS

NODE_KINDS = ("drug", "target", "messenger", "process", "outcome")
COMPARTMENTS = ("presynaptic", "cleft", "postsynaptic", "interneuron", "systemic")
EDGE_KINDS = ("stimulates", "inhibits", "unknown", "necessary")
STATUSES = ("established", "hypothesis")
EVIDENCE_TYPES = ("in-vitro", "animal", "healthy-volunteers", "patients", "review", "label")
CONFIDENCES = ("verified", "secondary", "assumption")
POPULATIONS = ("animal", "healthy-volunteers", "patients", "mixed")
#: "controlled": a controlled experiment whose report does not say that allocation was randomised.
DESIGNS = ("randomised", "controlled", "open-label", "retrospective", "review")
DIRECTIONS = ("supports", "against", "neutral", "mixed")
OUTCOME_DIRECTIONS = ("increase", "decrease", "none")
QUIZ_TYPES = ("multiple_choice", "multiple_select", "numeric")
IMPORTANCES = ("necessary", "helpful")
VERDICTS = ("accurate", "simplified", "overstated", "incorrect")

#: The PK models a drug may declare (``pk_model:`` in drugs.yaml) and the parameter roles each
#: needs. A role is found under its own name among the drug's parameters unless
#: ``pk_parameters`` maps it to another name; mechlib.models.pk implements each model.
PK_MODELS = {
    "oral_one_compartment": ("bioavailability", "absorption_rate_constant",
                             "volume_of_distribution", "half_life"),
    "iv_one_compartment": ("clearance", "volume_of_distribution"),
    "iv_two_compartment": ("clearance", "volume_of_distribution", "central_volume",
                           "intercompartmental_clearance"),
    "none": (),
}
#: Roles a model may use but does not need: ``concentration_change`` (a co-medication's
#: relative change in steady-state concentration, read as a change of clearance: the oral model
#: multiplies the half-life by 1 + change, a modelling assumption shown with the curve).
PK_OPTIONAL_ROLES = {"oral_one_compartment": ("concentration_change",)}
#: The kind (mechlib.data.units) each PK role must have.
PK_ROLE_KINDS = {
    "bioavailability": "fraction", "absorption_rate_constant": "rate_constant",
    "volume_of_distribution": "volume_per_mass", "half_life": "time",
    "clearance": "clearance_per_mass", "central_volume": "volume_per_mass",
    "intercompartmental_clearance": "clearance_per_mass",
    "concentration_change": "relative_change",
}

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_TEXT = {"type": "string", "minLength": 1}
_NUMBER = {"type": "number"}

_STATEMENT = {
    "type": "object",
    "required": ["text", "reference"],
    "additionalProperties": False,
    "properties": {"text": _TEXT, "reference": _ID},
}

PARAMETER = {
    "type": "object",
    "required": ["value", "unit", "reference", "confidence"],
    "additionalProperties": False,
    "properties": {
        "value": _NUMBER,
        "unit": _TEXT,
        "reference": _ID,
        "confidence": {"enum": list(CONFIDENCES)},
        "range": {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2},
        "note": _TEXT,
        "kind": {"enum": list(KINDS)},
    },
}

_ROLE_MAP = {
    "type": "object",
    "propertyNames": {"enum": list(PK_ROLE_KINDS)},
    "additionalProperties": _ID,
}

_STEP = {
    "type": "object",
    "required": ["from_week", "to_week", "dose_mg", "every_days", "reference", "confidence"],
    "additionalProperties": False,
    "properties": {
        "from_week": {"type": "integer", "minimum": 1, "maximum": 520},
        "to_week": {"type": "integer", "minimum": 1, "maximum": 520},
        "dose_mg": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
        "every_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "reference": _ID,
        "confidence": {"enum": list(CONFIDENCES)},
    },
}

REFERENCES = {
    "type": "object",
    "required": ["references"],
    "additionalProperties": False,
    "properties": {
        "references": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": _ID,
            "additionalProperties": {
                "type": "object",
                "required": ["authors", "year", "title", "source"],
                "additionalProperties": False,
                "properties": {
                    "authors": _TEXT,
                    "year": {"type": "integer", "minimum": 1800, "maximum": 2100},
                    "title": _TEXT,
                    "source": _TEXT,
                    "doi": {"type": "string", "pattern": "^10\\.[0-9]{4,9}/\\S+$"},
                    "pmid": {"type": "string", "pattern": "^[0-9]{1,9}$"},
                    "label": _TEXT,
                    "cite_as": _TEXT,
                    "url": _TEXT,
                    "verified": {"type": "boolean"},
                    "note": _TEXT,
                },
            },
        }
    },
}

DRUGS = {
    "type": "object",
    "required": ["drugs"],
    "additionalProperties": False,
    "properties": {
        "drugs": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": _ID,
            "additionalProperties": {
                "type": "object",
                "required": ["name", "drug_class", "summary", "parameters"],
                "additionalProperties": False,
                "properties": {
                    "name": _TEXT,
                    "drug_class": _TEXT,
                    "summary": _TEXT,
                    "indications": {"type": "array", "items": _STATEMENT},
                    "adverse_effects": {"type": "array", "items": _STATEMENT},
                    "parameters": {
                        "type": "object",
                        "propertyNames": _ID,
                        "additionalProperties": PARAMETER,
                    },
                    "pk_model": {"enum": list(PK_MODELS)},
                    "pk_parameters": _ROLE_MAP,
                    "comedications": {
                        "type": "object",
                        "propertyNames": _ID,
                        "additionalProperties": {
                            "type": "object",
                            "required": ["label", "pk_parameters"],
                            "additionalProperties": False,
                            "properties": {
                                "label": _TEXT,
                                "pk_parameters": _ROLE_MAP,
                                "titration": _ID,
                            },
                        },
                    },
                    "titration": {
                        "type": "object",
                        "propertyNames": _ID,
                        "additionalProperties": {
                            "type": "object",
                            "required": ["description", "steps"],
                            "additionalProperties": False,
                            "properties": {
                                "description": _TEXT,
                                "steps": {"type": "array", "minItems": 1, "items": _STEP},
                            },
                        },
                    },
                },
            },
        },
        "physiology": {
            "type": "object",
            "propertyNames": _ID,
            "additionalProperties": PARAMETER,
        },
    },
}

MECHANISMS = {
    "type": "object",
    "required": ["views", "nodes", "edges"],
    "additionalProperties": False,
    "properties": {
        "views": {
            "type": "object",
            "propertyNames": _ID,
            "additionalProperties": {
                "type": "object",
                "required": ["title", "description"],
                "additionalProperties": False,
                "properties": {"title": _TEXT, "description": _TEXT},
            },
        },
        "nodes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label", "kind", "compartment", "views", "description"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "label": _TEXT,
                    "kind": {"enum": list(NODE_KINDS)},
                    "compartment": {"enum": list(COMPARTMENTS)},
                    "views": {"type": "array", "items": _ID},
                    "description": _TEXT,
                    "requires": _ID,
                    "clinical_uses": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["node", "use", "reference"],
                            "additionalProperties": False,
                            "properties": {"node": _ID, "use": _TEXT, "reference": _ID},
                        },
                    },
                },
            },
        },
        "edges": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "target", "kind", "mechanism", "status", "evidence"],
                "additionalProperties": False,
                "properties": {
                    "source": _ID,
                    "target": _ID,
                    "kind": {"enum": list(EDGE_KINDS)},
                    "mechanism": _TEXT,
                    "status": {"enum": list(STATUSES)},
                    "evidence": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["reference", "type"],
                            "additionalProperties": False,
                            "properties": {
                                "reference": _ID,
                                "type": {"enum": list(EVIDENCE_TYPES)},
                                "note": _TEXT,
                            },
                        },
                    },
                },
            },
        },
    },
}

STUDIES = {
    "type": "object",
    "required": ["hypotheses", "studies"],
    "additionalProperties": False,
    "properties": {
        "hypotheses": {
            "type": "object",
            "propertyNames": _ID,
            "additionalProperties": {
                "type": "object",
                "required": ["title", "statement"],
                "additionalProperties": False,
                "properties": {"title": _TEXT, "statement": _TEXT},
            },
        },
        "studies": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "key", "reference", "design", "population", "n", "regimen", "outcomes",
                    "bears_on",
                ],
                "additionalProperties": False,
                "properties": {
                    "key": _ID,
                    "reference": _ID,
                    "design": {"enum": list(DESIGNS)},
                    "design_detail": _TEXT,
                    "population": {"enum": list(POPULATIONS)},
                    "n": {"type": ["integer", "null"], "minimum": 1, "maximum": 10000000},
                    "n_unit": _TEXT,
                    "regimen": _TEXT,
                    "outcomes": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["measure", "finding", "direction"],
                            "additionalProperties": False,
                            "properties": {
                                "measure": _TEXT,
                                "finding": _TEXT,
                                "direction": {"enum": list(OUTCOME_DIRECTIONS)},
                            },
                        },
                    },
                    "bears_on": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["hypothesis", "direction"],
                            "additionalProperties": False,
                            "properties": {
                                "hypothesis": _ID,
                                "direction": {"enum": list(DIRECTIONS)},
                                "note": _TEXT,
                            },
                        },
                    },
                },
            },
        },
    },
}

QUIZZES = {
    "type": "object",
    "required": ["quizzes"],
    "additionalProperties": False,
    "properties": {
        "quizzes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "lesson", "type", "prompt", "answer", "explanation", "references"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "lesson": {"type": "string", "pattern": "^[0-9]{2}_[a-z0-9_]+$"},
                    "type": {"enum": list(QUIZ_TYPES)},
                    "prompt": _TEXT,
                    "options": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "text"],
                            "additionalProperties": False,
                            "properties": {"id": _ID, "text": _TEXT, "feedback": _TEXT},
                        },
                    },
                    "answer": {
                        "oneOf": [
                            _ID,
                            {"type": "array", "items": _ID, "minItems": 1},
                            _NUMBER,
                        ]
                    },
                    "tolerance": {"type": "number", "minimum": 0},
                    "unit": _TEXT,
                    "points": {"type": "integer", "minimum": 1, "maximum": 10},
                    "explanation": _TEXT,
                    "references": {"type": "array", "items": _ID, "minItems": 1},
                },
            },
        }
    },
}

LESSONS = {
    "type": "object",
    "required": ["lessons"],
    "additionalProperties": False,
    "properties": {
        "lessons": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "minutes", "objectives", "requires"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9]{2}_[a-z0-9_]+$"},
                    "title": _TEXT,
                    "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
                    "objectives": {"type": "array", "items": _TEXT, "minItems": 1},
                    "requires": {"type": "array", "items": _TEXT},
                    "prerequisites": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["concept", "importance", "notes"],
                            "additionalProperties": False,
                            "properties": {
                                "concept": _TEXT,
                                "importance": {"enum": list(IMPORTANCES)},
                                "notes": _TEXT,
                            },
                        },
                    },
                },
            },
        }
    },
}

CLAIMS = {
    "type": "object",
    "required": ["claims"],
    "additionalProperties": False,
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "lesson", "article", "verdict", "evidence", "references"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "lesson": {"type": "string", "pattern": "^[0-9]{2}_[a-z0-9_]+$"},
                    "article": _TEXT,
                    "verdict": {"enum": list(VERDICTS)},
                    "evidence": _TEXT,
                    "references": {"type": "array", "items": _ID, "minItems": 1},
                },
            },
        }
    },
}

_LESSON_ID = {"type": "string", "pattern": "^[0-9]{2}_[a-z0-9_]+$"}

PROMPTS = {
    "type": "object",
    "required": ["prompts"],
    "additionalProperties": False,
    "properties": {
        "prompts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "lesson", "prompt", "answer", "references"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "lesson": _LESSON_ID,
                    "prompt": _TEXT,
                    "answer": _TEXT,
                    "mistakes": {"type": "array", "items": _TEXT},
                    "references": {"type": "array", "items": _ID, "minItems": 1},
                },
            },
        }
    },
}

GLOSSARY = {
    "type": "object",
    "required": ["terms"],
    "additionalProperties": False,
    "properties": {
        "terms": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "term", "definition", "reference", "first_lesson"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                    "term": _TEXT,
                    "definition": _TEXT,
                    "reference": _ID,
                    "first_lesson": _LESSON_ID,
                },
            },
        }
    },
}

SCHEMAS = {
    "references.yaml": REFERENCES,
    "drugs.yaml": DRUGS,
    "mechanisms.yaml": MECHANISMS,
    "studies.yaml": STUDIES,
    "quizzes.yaml": QUIZZES,
    "lessons.yaml": LESSONS,
    "claims.yaml": CLAIMS,
    "prompts.yaml": PROMPTS,
    "glossary.yaml": GLOSSARY,
}


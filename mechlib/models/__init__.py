"""The quantitative models: pharmacokinetics (:mod:`~mechlib.models.pk`) and
pharmacodynamics (:mod:`~mechlib.models.pd`).

Imports only :mod:`mechlib.data`.
"""

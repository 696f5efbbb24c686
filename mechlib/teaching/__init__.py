"""The teaching layer: the lesson skeleton, self-check quizzes and the human evidence.

Imports only :mod:`mechlib.data`, :mod:`mechlib.style` and :mod:`mechlib.mechanism`.
"""

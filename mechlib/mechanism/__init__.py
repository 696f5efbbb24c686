"""The mechanism layer: the graph (networkx views), reasoning over it, and its drawing.

Imports only :mod:`mechlib.data` and :mod:`mechlib.style`.
"""

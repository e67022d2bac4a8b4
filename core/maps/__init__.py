"""The decision-boundary maps: a network's output over the input square, as numbers (boundary.py) and as text
(boundary_text.py), with exp and the activations computed the same way on every CPU (core/portable_exp.py).

Pure numpy and Python: a map is drawn from plain floats, never with torch.
"""

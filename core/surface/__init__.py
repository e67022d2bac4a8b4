"""The loss surface under a run: the loss over a plane through one epoch's weights, with the run's
path projected onto it, as numbers (surface.py) and as text (surface_text.py).

Pure numpy and Python, as the maps are: a surface is computed from plain floats, never with torch.
"""

"""The loss surface under the run, a view of its own (u): view.py (the screen), picture.py (its
lines, painted by a worker), actions.py (its part of the app: the key, the worker, the path)."""

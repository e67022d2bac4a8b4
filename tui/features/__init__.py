"""The app's features beyond its core loop, each a mixin of actions, workers and message handlers
that PerceptronLab (tui/app.py) takes as a base class."""

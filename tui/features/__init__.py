"""The app's features beyond its main view, each a mixin of PerceptronLab's (actions, message
handlers and workers), so that app.py keeps the rules and the main view."""

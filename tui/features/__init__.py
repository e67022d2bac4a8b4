"""The app's features as mixins of PerceptronLab: each one's actions, handlers and workers in a module."""

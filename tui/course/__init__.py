"""The course in the app: a step's question, the prediction committed before the run, the
comparison with the run and the panel that shows why (tui/course/course.py)."""

"""The course: the chapter as a path of steps, each predict → run → compare → explain.

steps.py holds the steps as data (the lesson each runs, the question, the panel that shows why);
answers.py takes each step's answer from the run itself, never from a number in the text.
"""

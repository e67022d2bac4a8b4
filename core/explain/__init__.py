"""The explainer: one epoch's every number, recomputed exactly from the run's history (explain.py), and its
stages as text in the learner's language (explain_text.py), for the app's explainer and
`perceptron-lab explain`.
"""

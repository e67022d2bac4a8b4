"""The perceptron rule's lesson in the app: its key (d, the truth table) and the keys it has no use for."""

"""Files: atomic writes and careful reads (files.py), JSON a learner hands us read strictly (strict_json.py),
runs saved and replayed (session_file.py), and a run exported as CSV, a state dict or a script (exports.py).
"""

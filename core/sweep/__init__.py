"""The seed sweep: one configuration trained from many seeds at once (sweep.py), by many networks side by side
(batch_kernel.py, with the exact routes of its products in batch_routes.py), reported as text, JSON or
CSV (sweep_report.py) with the plateaus where runs got stuck named (plateaus.py).

The package itself loads no torch: a report is made from a finished result of plain numbers.
"""

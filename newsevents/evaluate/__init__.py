"""Floor 4, evaluate: scoring the coder against gold sets, one module per gold format.

``formats.FORMATS`` names the scorer of each format (``newsevents evaluate GOLD --format F``).
A new gold format: a module here with an ``evaluate(path, pipeline, ...)`` function returning a
report, registered in ``FORMATS`` (docs/accuracy.md).
"""

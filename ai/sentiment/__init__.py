"""Review sentiment: language detection, scoring (label, score, aspects), training.

Public functions are re-exported by ai/services.py (section "review sentiment"); other apps
call them there. See model.py (the default classifier), seed.py (the built-in start),
backends.py (which scorer: trained, built-in, or a transformers model), aspects.py,
scoring.py, training.py.
"""

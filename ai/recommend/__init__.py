"""Personalised recommendations (issue 5).

- data.py: interaction events -> implicit strengths and stars (the documented event weights)
- algorithms.py: EASE / item-kNN top-N rankers, popularity, the scikit-surprise rating model
- evaluation.py: ratings files, metrics, the comparison with popularity (evaluate_recommender)
- training.py: the nightly job: fit, precompute every list, record a ModelVersion
- serving.py: one indexed read per list, exclusions, explanations, cold start, guests
- ratings.py: external rating files loaded by import_ratings
- jobs.py: training now or as a background job

The public functions are re-exported by ai/services.py; the rest of the project calls those.
"""

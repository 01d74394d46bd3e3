"""Product search: query understanding, BM25, hybrid ranking, facets, autocomplete, evaluation.

Other apps use it through ai.services (search_products, search_autocomplete,
search_highlight, search_filters); the vector part is ai.index via services.search_semantic.

    text.py        normalisation, tokens (stems, CJK bigrams), typo distance
    lexicon.py     built-in synonyms: metals, stones, categories, colours, purities
    snapshot.py    the catalog as the ranker sees it (per process, refreshed on change)
    lexical.py     BM25 per language with typo and prefix expansion
    query.py       parse_query: filters and boosts from the shopper's words
    ranking.py     search(): filters + BM25 + vectors, facets
    suggest.py     autocomplete and highlighting
    evaluation.py  nDCG@10, recall@50, MRR over judged queries
"""

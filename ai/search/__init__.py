"""Product search: query understanding, BM25, hybrid ranking, facets, autocomplete, evaluation.

Other apps use it through ai.services (search_products, search_autocomplete,
search_highlight, search_filters); inside ai, modules import the module that does the work.

    semantic.py    embeddings of queries, search_semantic (the vector part, over ai.index)
    indexing.py    re-embedding products (jobs, the dirty flag through catalog.services), status

    text.py        normalisation, tokens (stems, CJK bigrams), typo distance
    lexicon.py     built-in synonyms: metals, stones, categories, colours, purities
    snapshot.py    the catalog as the ranker sees it (per process, refreshed on change)
    lexical.py     BM25 per language with typo and prefix expansion
    query.py       parse_query: filters and boosts from the shopper's words
    ranking.py     search(): filters + BM25 + vectors, facets
    suggest.py     autocomplete and highlighting
    evaluation.py  nDCG@10, recall@50, MRR over judged queries
"""

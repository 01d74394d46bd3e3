"""The AI app's public face: catalog, customers and orders call AI only through this module.

The capabilities (semantic search, recommendations, review sentiment, chat, design drafts)
arrive with their issues; until then the storefront uses plain database search.
"""

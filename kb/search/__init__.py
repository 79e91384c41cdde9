"""Search: a Whoosh index of the knowledge base (`kb index`), `kb search`, `kb eval` and search gaps.

Only `kb.search.engine` imports Whoosh. Import the submodules you need; this package imports nothing.
"""

"""The `kb` MkDocs plugin: a thin adapter that puts kb's view of each article on the page."""

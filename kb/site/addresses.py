"""The addresses the generated pages take on both sites, kept apart from the stager so that lint
and `kb new` can check for clashes without importing it."""

# Top-level names the generated pages use; an article there would be hidden by them.
RESERVED = ("index.md", "sections/", "types/", "products/", "tags/", "health/")

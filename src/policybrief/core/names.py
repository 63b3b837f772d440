"""Names every layer agrees on, in a module that imports nothing: the Snakefile reads them each
time it starts (a no-op build included), before any model or renderer is needed."""

# A study, brief, record or recipient id: lower-case letters, digits and hyphens.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,48}$"
# The languages a brief can be written in: the templates carry a translation for each.
LANGUAGES = ("en", "es")
# A brief's page limit (`max_pages`) at most.
MAX_PAGES = 40

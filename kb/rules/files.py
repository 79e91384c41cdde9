"""Rules for files that cannot be read as articles: encoding, size, front matter syntax."""

from __future__ import annotations

from kb.diagnostics import Severity
from kb.rules import loader_rule

loader_rule("KB001", "unreadable-file", Severity.ERROR, """
    The file cannot be read as a Markdown article.

    What it checks: the file is text in UTF-8, not binary, not over `max_file_kb`, and not a symbolic
    link to somewhere outside the content folder.
    Why it matters: kb, MkDocs and search would skip or garble it; a link outside the folder could
    publish a file that was never meant to be.
    Example: a Word export saved as Latin-1; `logo.md` that is really a PNG; a 5 MB pasted log.
    Fix: re-save as UTF-8, remove the binary file, split the article, or replace the link with a copy.
    Settings: max_file_kb
""")

loader_rule("KB002", "empty-file", Severity.ERROR, """
    The file is empty.

    What it checks: the file holds something other than white space.
    Why it matters: an empty page is published as a blank article and found by nobody.
    Example: `touch content/billing/refunds.md` and nothing written yet.
    Fix: write the article (`kb new` starts one from a template) or delete the file.
""")

loader_rule("KB003", "missing-front-matter", Severity.ERROR, """
    The article has no front matter.

    What it checks: the file starts with a `---` line, YAML fields, and a closing `---`.
    Why it matters: without front matter kb does not know the title, type, owner or review date.
    Example: a file that starts with `# Reset a password`.
    Fix: add `---`, `title:`, `type:`, `owner:`, `reviewed:` and `---` at the top.
""")

loader_rule("KB004", "invalid-yaml", Severity.ERROR, """
    The front matter is not valid YAML, is empty, or is never closed.

    What it checks: the text between the `---` lines parses as YAML.
    Why it matters: none of the article's fields can be read, so it is not checked or published right.
    Example: `title: Error: code 05` (an unquoted colon), or a missing closing `---`.
    Fix: quote values that hold `: ` or `#`, and close the front matter with `---`.
""")

loader_rule("KB005", "front-matter-not-mapping", Severity.ERROR, """
    The front matter is a list or a single value instead of `key: value` lines.

    What it checks: the YAML is a mapping.
    Why it matters: fields can only be read from a mapping.
    Example: `- title: Refunds` (a list item) instead of `title: Refunds`.
    Fix: remove the leading `- ` so that each field is a `key: value` line.
""")

loader_rule("KB013", "duplicate-key", Severity.WARNING, """
    A front-matter key is set twice.

    What it checks: each key appears once.
    Why it matters: YAML keeps the last value silently, so an edit to the first one does nothing.
    Example: two `reviewed:` lines after a merge.
    Fix: delete the stale line.
""")

loader_rule("KB014", "byte-order-mark", Severity.WARNING, """
    The file starts with a UTF-8 byte order mark.

    What it checks: the first bytes are not EF BB BF.
    Why it matters: some tools then miss the front matter or show a stray character.
    Example: a file saved by Notepad with "UTF-8 with BOM".
    Fix: save the file as UTF-8 without BOM.
""")

loader_rule("KB015", "crlf-line-endings", Severity.WARNING, """
    The file has Windows (CRLF) line endings.

    What it checks: lines end with LF only.
    Why it matters: mixed endings make diffs noisy and some Markdown tools misread them.
    Example: a file edited on Windows without `core.autocrlf`.
    Fix: convert to LF (`dos2unix`, or your editor's line-ending setting) and add `* text=auto` to
    `.gitattributes`.
""")


loader_rule("KB016", "other-markdown-extension", Severity.ERROR, """
    A Markdown file has an extension kb does not read.

    What it checks: Markdown pages end in `.md`, not `.markdown`, `.mdown`, `.mkdn` or `.mkd`.
    Why it matters: MkDocs publishes those as pages too, but kb does not read them: no front
    matter, no `audience`, no internal blocks removed, no links checked.
    Example: `payments/refunds.markdown`.
    Fix: rename the file to `.md`.
""")

#!/usr/bin/env bash
# What `make demo` built and how to use it.
cat <<MSG

Done. The sample knowledge base (content/) is linted, indexed and built:
  public help site    site/public/index.html    (preview: .venv/bin/kb serve --audience public)
  internal agent site site/internal/index.html  (preview: .venv/bin/kb serve --audience internal)
  search index        .kb/index/

Try:
  .venv/bin/kb search "passwrod reset"
  .venv/bin/kb search "printer tidak ditemukan" --lang id
  .venv/bin/kb report stale
  .venv/bin/kb report missing
  .venv/bin/kb stats
MSG

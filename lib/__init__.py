"""China–Russia Ties Dashboard: the preprocessing package (pure Python, no streamlit).

One subpackage per layer (see docs/architecture.md): `read` → `nlp` → `extract` →
`crossarticle` → `run`, all on the table contract (`contract`); `views` derives what the pages
show from the tables.
"""

PIPELINE_VERSION = "0.1.0"

"""The dashboard's own helpers: data access, links and escaped rendering (the only streamlit code besides pages)."""

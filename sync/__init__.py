"""Viasna's list of political prisoners, read from its CSV export (issue 15's first layer).

Pure, like ``cases/``: no storage, no Telegram, no clock. ``sync.export``
reads one export (``read_export``), ``sync.people`` joins the ru, be and en
exports into people (``join_languages``); the rest are their parts: what a
file is (``sniff``), its header (``headers``), its cells (``cells``,
``articles``, ``places``) and the export's words (``words``). The format is
described in docs/viasna-export.md.
"""

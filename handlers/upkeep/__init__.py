"""Case upkeep for the organisation's editors: /update, /setstatus, /addcase and
file uploads (each previewed, then committed by ``case_admin``), /admin, /audit,
/admins, and reloading cases another process changed."""

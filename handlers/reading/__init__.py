"""What anyone can read: the welcome, cards and the name search, /list, /stats,
/upcoming, inline sharing, and statements."""

"""HTML pages of governance: requests (``requests``), committee review (``review``), the holder's
release pages (``holder``), and the dashboard and statistics (``dashboard``)."""

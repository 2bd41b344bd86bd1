"""English date formats of the interface (settings.FORMAT_MODULE_PATH): day month year, as the alliance writes them,
instead of Django's American defaults. The other languages use Django's own (de: 2. Dezember 2026, 02.12.2026)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

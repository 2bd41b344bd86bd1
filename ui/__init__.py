"""Floor 0 of the page layer: the site chrome and the extension points other apps fill at startup.

``ui`` imports no domain app. Apps register their navigation links and page fragments (for example the
dataset page's access actions) in ``AppConfig.ready()`` through :mod:`ui.registry`, so a catalogue template
never names a governance tag or URL, and the catalogue renders with governance removed.
"""

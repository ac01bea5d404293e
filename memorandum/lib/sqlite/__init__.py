"""The embedded database's engine: Django's SQLite backend with writers queued (see ``base``)."""

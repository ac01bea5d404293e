"""Date formats per language (FORMAT_MODULE_PATH), one of each kind for the whole site.

Pages, e-mails, Word and PDF documents write dates with Django's ``date`` filter or
``formats.date_format`` and a format *name* (``DATE_FORMAT``, ``DATETIME_FORMAT``,
``YEAR_MONTH_FORMAT``, ``TIME_FORMAT``), never with ``strftime`` or a pattern of their own,
so that a date reads the same everywhere: "5 mei 2025", "5 mai 2025", "5 May 2025".
Month names are lower case in Dutch and French ("mei", not "Mei"). Spreadsheets and
machine exports keep ISO 8601. What a module leaves out comes from Django's own locale.
"""

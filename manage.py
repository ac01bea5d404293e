#!/usr/bin/env python
"""Django's command-line utility for the Memorandum platform."""

from memorandum.manage import main

if __name__ == "__main__":
    main()

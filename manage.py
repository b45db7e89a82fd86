#!/usr/bin/env python
"""Django's command-line utility; `civitas` is the installed equivalent."""

from civitas.__main__ import main

if __name__ == "__main__":
    main()

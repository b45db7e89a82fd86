"""Engagement web pages: staff pages per city, and the public pages for citizens."""

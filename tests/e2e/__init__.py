"""Browser tests (Playwright + Chromium) against pytest-django's live server.

A package so that its module names (e2e.test_login, …) never clash with same-named test files elsewhere.
"""

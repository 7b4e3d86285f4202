"""Demo content for `manage.py seed_demo`: the agency's own sample documents, moved to the current year."""

"""The deterministic demo catalogue (``manage.py seed_demo``): partners, users, datasets, variables, consents."""

"""Sign-in for people and API clients (floor 1 of ARCHITECTURE.md: imports only ``harmony`` and ``ui``).

- brute-force protection of the login form and of HTTP Basic (django-axes, configured in settings);
- personal access tokens for API clients (``Authorization: Bearer …``).
"""

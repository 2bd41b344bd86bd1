"""A real OpenID Connect provider for tests and development: django-oauth-toolkit with OIDC enabled.

Started on 127.0.0.1 by ``scripts/oidc.sh`` as three instances of this one project, each with its own RS256 key
(generated at first start), SQLite file and people (``people.py``), so the relying party's tests meet a provider,
a second provider that asserts the same e-mail address, and a provider whose ID tokens have expired on arrival.
It is not part of the application: nothing in ``harmony``, ``accounts`` or the apps imports it.
"""

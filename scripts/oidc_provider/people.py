"""Who can sign in at each provider instance, with the claims the provider asserts for them.

``alpha`` is the researchers' home institution; ``beta`` is another provider that asserts one of the same e-mail
addresses (a second issuer is a different identity); ``skewed`` issues ID tokens that have expired on arrival.
Every password is :data:`PASSWORD`.
"""

from __future__ import annotations

PASSWORD = "oidc-test-password"
CLIENT_ID = "harmony-catalogue"
CLIENT_SECRET = "harmony-oidc-test-secret"

_ALICE = {
    "given_name": "Alice",
    "family_name": "Aalders",
    "email": "alice@erasmusmc.example",
    "email_verified": True,
}

PEOPLE: dict[str, dict[str, dict[str, object]]] = {
    "alpha": {
        "alice": {**_ALICE, "eduperson_scoped_affiliation": ["member@erasmusmc.example", "faculty@erasmusmc.example"]},
        "bruno": {
            "given_name": "Bruno",
            "family_name": "Brandt",
            "email": "bruno@uni-heidelberg.example",
            "email_verified": True,
            "eduperson_scoped_affiliation": ["member@uni-heidelberg.example", "student@uni-heidelberg.example"],
        },
        "casey": {
            "given_name": "Casey",
            "family_name": "Claes",
            "email": "casey@unverified.example",
            "email_verified": False,
            "eduperson_scoped_affiliation": [],
        },
    },
    "beta": {
        "alice": {**_ALICE, "eduperson_scoped_affiliation": ["affiliate@beta-institute.example"]},
    },
    "skewed": {
        "alice": {**_ALICE, "eduperson_scoped_affiliation": ["member@erasmusmc.example"]},
    },
}

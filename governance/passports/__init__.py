"""GA4GH Passports: the registry issues a ``ControlledAccessGrants`` visa for every live access grant, and verifies
the ``ResearcherStatus`` and ``AffiliationAndRole`` visas that trusted brokers (LS Login …) issue to requesters.

Signatures are made and checked with joserfc (RS256); nothing here handles a signature by hand.
"""

"""DCAT-AP 3 / HealthDCAT-AP: the catalogue exported as RDF (export), and partners' catalogues harvested into
draft datasets (harvest)."""

"""HTML pages of the catalogue: public browsing (``public``) and curation (``curation``)."""

"""Catalogue API views: thin — parse input, call one selector or service, serialize the result."""

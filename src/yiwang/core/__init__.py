"""Shared helpers with no models: settings readers, identifiers, domain errors, log masking."""

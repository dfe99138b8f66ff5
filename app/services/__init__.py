"""Use cases and transactions. Services flush; the request boundary commits."""

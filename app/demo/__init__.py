"""Demo catalogue loaded by `prozessatlas seed-demo`: metadata in catalogue.toml, models in models/."""

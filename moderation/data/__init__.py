"""Word lists and frequency dictionaries shipped with the moderation engine."""

"""Monitor: collect brand mentions, score, route, store, notify and post replies."""

"""Use-cases: each takes the app context, opens a database session and calls the core."""

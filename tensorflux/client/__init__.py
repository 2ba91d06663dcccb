"""The client: Session, its fetch/feed handling, plans and configuration."""

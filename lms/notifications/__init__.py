"""In-app notifications: what happened to a user, told from domain events and announcements."""

"""The class list: users with their activity (users appear on first use)."""

from __future__ import annotations

from flashcards.study.context import App
from flashcards_db.queries.activity import UserActivity, user_activity

__all__ = ["UserActivity", "activity_json", "list_users"]


def list_users(app: App) -> list[UserActivity]:
    """Every user the current connection may see, by name (does not add the caller)."""
    with app.session() as session:
        return user_activity(session)


def activity_json(user: UserActivity) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.db_role,
        "reviews": user.reviews,
        "cards_studied": user.cards_studied,
        "last_review": user.last_review_at.isoformat() if user.last_review_at else None,
        "last_study_day": user.last_study_day.isoformat() if user.last_study_day else None,
        "created": user.created_at.isoformat(),
    }

"""A student's study day follows their own time zone, not the machine's."""

from __future__ import annotations

from sqlalchemy import update

from flashcards.study.context import App
from flashcards_db.models import User


def test_today_is_computed_in_the_users_time_zone(db_url: str) -> None:
    days = {}
    for name, zone in (("kiri", "Pacific/Kiritimati"), ("pago", "Pacific/Pago_Pago")):
        setup = App(db=db_url, user_name=name)
        with setup.session() as session:
            setup.user_id(session)
            session.execute(update(User).where(User.name == name).values(timezone=zone))
        setup.close()
        app = App(db=db_url, user_name=name)  # the next command run by that user
        days[name] = app.today
        app.close()
    # UTC+14 and UTC-11 are 25 hours apart: Kiritimati is always a day or two ahead.
    assert 1 <= (days["kiri"] - days["pago"]).days <= 2


def test_an_unknown_zone_name_falls_back_to_the_machines_zone(db_url: str) -> None:
    setup = App(db=db_url, user_name="ana")
    with setup.session() as session:
        setup.user_id(session)
        session.execute(update(User).where(User.name == "ana").values(timezone="Mars/Olympus"))
    setup.close()
    app = App(db=db_url, user_name="ana")
    assert app.today == App(db=db_url, user_name="nobody").today_for(None)
    app.close()

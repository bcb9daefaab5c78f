"""The session engine (``SESSION_ENGINE = "accounts.sessions"``): Django's database
sessions, with each row tagged with the signed-in user so their sessions can be found."""

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from .backends import FORMER_PATH, PATH


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def load(self):
        """The session's data, by one indexed read written out in SQL.

        Every signed-in request reads its session first. Django builds this same query
        through the ORM each time, about 0.3 ms here against 0.03 for the read itself;
        the query cannot change, so it is written once. Like Django's, a key that is not
        there or has expired gives an empty session and no key.
        """
        if not self.session_key:
            self._session_key = None
            return {}
        model = self.model
        connection = connections[router.db_for_read(model)]
        names = (model._meta.db_table, "session_key", "session_data", "expire_date")
        table, key, data, expires = (connection.ops.quote_name(name) for name in names)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s", [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data = self.decode(row[0])
        if data.get(BACKEND_SESSION_KEY) == FORMER_PATH:  # signed in before accounts.backends: still signed in
            data[BACKEND_SESSION_KEY] = PATH
        return data

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session

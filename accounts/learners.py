"""The registry of learner data, and who may read it.

Each app that keeps records about a learner registers a :class:`LearnerData` in
its ``AppConfig.ready()``: its part of "Download my data" and how to delete it
with the account. ``accounts`` iterates over the registry and knows no other
app's tables. Apps import from ``accounts`` only this module and the user model; it also
lends them the rate limits (:func:`learner_rate_limited`) and written-out reads and writes for
their hot paths (:func:`written_rows`, :func:`written_update`, :func:`learner_rows`).
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router

from .models import User
from .ratelimits import rate_limited


@dataclass(frozen=True)
class JournalSection:
    """A part of the learner's journal page: a template and its context."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class LearnerData:
    name: str  # the key of this part in the export
    export: Callable[..., Any]  # (learner) -> JSON-serialisable data, in a fixed number of queries
    delete: Callable[..., None]  # (learner) -> None; runs inside the account deletion's transaction
    # (viewer, learner) -> JournalSection | None: what the journal page shows of this part, besides reflections.
    journal: Callable[..., JournalSection | None] | None = None


_registry: dict[str, LearnerData] = {}


def register(part: LearnerData) -> None:
    _registry[part.name] = part


def learner_data_parts() -> list[LearnerData]:
    return list(_registry.values())


def journal_sections(*, viewer: User, learner: User) -> list[JournalSection]:
    """The journal's parts from every app that registered one, in registration order."""
    sections = (part.journal(viewer=viewer, learner=learner) for part in _registry.values() if part.journal)
    return [section for section in sections if section is not None]


def may_read(*, viewer: User, learner: User) -> bool:
    """Whether ``viewer`` may read ``learner``'s private records: only the learner themself.

    Every access-checked lookup asks this. A coach reads only what a learner shared,
    and only while they coach them: see :func:`coached_by`.
    """
    return bool(viewer.is_authenticated and learner.pk is not None and viewer.pk == learner.pk)


@dataclass(frozen=True)
class Coaching:
    """Who coaches whom, as the app that keeps cohorts says (``cohorts`` registers it)."""

    # (viewer, learner ids, course id) -> the ids among them the viewer coaches in that course, in one query.
    coached_by: Callable[..., set[int]]
    # (learner, course id) -> whether anyone coaches the learner in that course (the page offers sharing).
    has_coach: Callable[..., bool]


_coaching: Coaching | None = None


def register_coaching(coaching: Coaching) -> None:
    global _coaching
    _coaching = coaching


def coached_by(*, viewer: User, learners: list[int], course_id: int) -> set[int]:
    """The learners (ids) whose shared work and progress in the course ``viewer`` may see as their coach."""
    if _coaching is None or not viewer.is_authenticated or not learners:
        return set()
    return _coaching.coached_by(viewer=viewer, learners=learners, course_id=course_id)


def has_coach(*, learner: User, course_id: int) -> bool:
    return bool(_coaching and learner.is_authenticated and _coaching.has_coach(learner=learner, course_id=course_id))


def learner_rate_limited(*, learner: User, scope: str, limit: int, seconds: int) -> bool:
    """Count one action of ``learner`` in ``scope`` (a save, say) and tell whether it is over
    ``limit`` in a window of ``seconds``: counted like sign-ups, the same for every process."""
    return rate_limited(scope=scope, key=f"learner:{learner.pk}", limit=limit, seconds=seconds)


# '<', '>' and '&' as JSON escapes: a reader gets the same text back, and the file
# stays inert even if a browser is tricked into rendering it as HTML.
_HTML_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def inert_json(document) -> str:
    """A JSON download of learner text (the journal here, the account data export in accounts)."""
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).translate(_HTML_ESCAPES)


# Written-out reads and writes, for what every signed-in page or save does. The ORM builds each
# query anew: on this project's 2-core machine a filtered one-table read took 0.3-0.6 ms to build
# and 0.03 ms to run. Column and table names come from the models' _meta; values are parameters.


@dataclass(frozen=True)
class Children:
    """For :func:`written_rows`: the rows of ``model`` whose foreign key ``key`` points at each row
    read, in ``order_by`` order, set on it as the list ``name`` (read in the same statement)."""

    name: str
    model: Any
    key: str
    order_by: tuple[str, ...] = ()


def written_rows(
    model,
    where: dict[str, Any],
    *,
    fields: Sequence[str] = (),
    order_by: Sequence[str] = (),
    lock=False,
    children: Children | None = None,
):
    """``model``'s rows where each field named in ``where`` equals its value (or is one of them, for a
    list), as model instances with ``fields`` loaded (every field if none are named), in ``order_by``
    order; with ``lock``, locked FOR UPDATE where the database can (SQLite's transactions hold its
    write lock from their start); with ``children``, each with its children, by a LEFT JOIN. A list
    that is empty matches nothing, without a query."""
    if any(value == [] for value in where.values()):
        return []
    alias = router.db_for_read(model)
    connection = connections[alias]
    shape = (model, tuple((name, len(value) if isinstance(value, list) else 0) for name, value in where.items()))
    sql, parts = _read_of(connection, (*shape, tuple(fields), tuple(order_by), lock, children))
    params = [item for value in where.values() for item in (value if isinstance(value, list) else [value])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    (attnames, converters), *child_part = parts
    if children is None:
        return [model.from_db(alias, attnames, _converted(row, converters, connection)) for row in rows]
    (child_attnames, child_converters), width = child_part[0], len(attnames)
    found: dict[Any, Any] = {}
    for row in rows:
        instance = found.get(row[0])
        if instance is None:
            instance = model.from_db(alias, attnames, _converted(row[:width], converters, connection))
            setattr(instance, children.name, [])
            found[row[0]] = instance
        if row[width] is not None:  # a child's primary key: the LEFT JOIN found one
            child = children.model.from_db(alias, child_attnames, _converted(row[width:], child_converters, connection))
            getattr(instance, children.name).append(child)
    return list(found.values())


def _read_of(connection, shape: tuple) -> tuple[str, list[tuple[frozenset[str], list]]]:
    """The SQL of one shape of :func:`written_rows`, and for its model (and its children's) the loaded
    fields' attnames and the value converters: worked out once per database connection, since the
    statement, like the ORM's, is the same every time."""
    reads = connection.__dict__.setdefault("_written_reads", {})
    if shape in reads:
        return reads[shape]
    model, where, fields, order_by, lock, children = shape
    quote = connection.ops.quote_name

    def column(of, name: str) -> str:
        meta = of._meta
        return f"{quote(meta.db_table)}.{quote(meta.pk.column if name == 'pk' else meta.get_field(name).column)}"

    loaded = _loaded(model, fields)
    selected = [column(model, field.name) for field in loaded]
    conditions = [f"{column(model, name)} IN ({', '.join(['%s'] * count)})" if count else f"{column(model, name)} = %s"
                  for name, count in where]  # fmt: skip
    sorting = [column(model, name) for name in order_by]
    source = quote(model._meta.db_table)
    parts = [_part(connection, model, loaded)]
    if children is not None:
        assert not lock, "rows read with their children are not locked"
        child_loaded = _loaded(children.model, ())
        selected += [column(children.model, field.name) for field in child_loaded]
        source += (
            f" LEFT OUTER JOIN {quote(children.model._meta.db_table)}"
            f" ON {column(children.model, children.key)} = {column(model, 'pk')}"
        )
        sorting += [column(model, "pk")] + [column(children.model, name) for name in children.order_by]
        parts.append(_part(connection, children.model, child_loaded))
    sql = f"SELECT {', '.join(selected)} FROM {source} WHERE {' AND '.join(conditions)}"
    if sorting:
        sql += f" ORDER BY {', '.join(sorting)}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    reads[shape] = sql, parts
    return reads[shape]


def _loaded(model, fields: Sequence[str]) -> list:
    """The fields a read loads: the primary key and ``fields`` (every one if none are named), in the
    model's field order, as Model.from_db expects the values."""
    meta = model._meta
    named = {meta.get_field(name) for name in fields}
    return [field for field in meta.concrete_fields if field.primary_key or not fields or field in named]


def _part(connection, model, loaded: list) -> tuple[frozenset[str], list]:
    """The attnames of the ``loaded`` fields, and the converters the ORM would apply to their values."""
    converters = []
    for position, field in enumerate(loaded):
        col = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if functions:
            converters.append((position, functions, col))
    return frozenset(field.attname for field in loaded), converters


def _converted(row, converters: list, connection):
    """``row`` with each value the database gave turned into its field's Python value (as the ORM does)."""
    if not converters:
        return row
    row = list(row)
    for position, functions, col in converters:
        value = row[position]
        for function in functions:
            value = function(value, col, connection)
        row[position] = value
    return row


def written_update(instance, *names: str) -> None:
    """Write the fields ``names`` of ``instance`` by its primary key, in one UPDATE (no signals sent:
    for models no signal listens to)."""
    meta = instance._meta
    connection = connections[router.db_for_write(type(instance))]
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    values = [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, instance.pk])


def learner_rows(
    model,
    *,
    learner: User,
    among: tuple[str, Sequence[int]],
    fields: Sequence[str] = (),
    children: Children | None = None,
) -> list:
    """``model``'s rows of ``learner`` whose ``among[0]`` (a foreign key) is one of the ids in
    ``among[1]`` (with their ``children``), by one written-out read (the module page reads three
    tables like this on every view). The caller has asked :func:`may_read`."""
    name, ids = among
    return written_rows(model, {"learner": learner.pk, name: list(ids)}, fields=fields, children=children)

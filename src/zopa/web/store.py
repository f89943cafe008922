"""Scenarios, their versions and their deal files, kept in a database (SQLAlchemy 2).

Nothing is overwritten: every save adds a version with who saved it, when and why, and
the scenario's text as zopa writes it (canonical YAML), so two versions diff line by line.
SQLite in the user's data folder by default; any SQLAlchemy URL (PostgreSQL included).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


def default_store_url() -> str:
    """SQLite in ``$XDG_DATA_HOME/zopa/zopa.db`` (``~/.local/share/zopa/zopa.db``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    folder = Path(base) / "zopa"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'zopa.db'}"


class _Base(DeclarativeBase):
    pass


class _Scenario(_Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class _Version(_Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)


class _Deal(_Base):
    __tablename__ = "deals"
    __table_args__ = (UniqueConstraint("scenario_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Version:
    """One saved version of a scenario."""

    scenario_id: int
    number: int
    author: str
    message: str
    created: dt.datetime
    text: str

    def summary(self) -> dict[str, object]:
        """The version without its text, as JSON-ready data."""
        return {
            "number": self.number,
            "author": self.author,
            "message": self.message,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True)
class StoredScenario:
    """A scenario in the store: its name and its latest version's number."""

    id: int
    name: str
    created: dt.datetime
    latest: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "created": self.created.isoformat(),
            "latest": self.latest,
        }


class NotFound(LookupError):  # noqa: N818
    """No such scenario, version or deal file."""


class Conflict(ValueError):  # noqa: N818
    """A name already taken."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite forgets the time zone; every moment stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Store:
    """The scenario store over one SQLAlchemy engine (thread-safe: a session per call)."""

    def __init__(self, url: str) -> None:
        self.url = url
        connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, connect_args=connect_args)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_foreign_keys)
        _Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def scenarios(self) -> list[StoredScenario]:
        """Every scenario, by name."""
        with self._session() as s:
            rows = s.execute(
                select(_Scenario, func.max(_Version.number))
                .join(_Version, _Version.scenario_id == _Scenario.id)
                .group_by(_Scenario.id)
                .order_by(_Scenario.name)
            ).all()
            return [StoredScenario(r.id, r.name, _as_utc(r.created), n) for r, n in rows]

    def scenario(self, scenario_id: int) -> StoredScenario:
        """One scenario, or :class:`NotFound`."""
        with self._session() as s:
            row = s.get(_Scenario, scenario_id)
            if row is None:
                raise NotFound(f"no scenario {scenario_id}")
            latest = s.scalar(
                select(func.max(_Version.number)).where(_Version.scenario_id == scenario_id)
            )
            return StoredScenario(row.id, row.name, _as_utc(row.created), int(latest or 0))

    def find(self, name: str) -> StoredScenario | None:
        """The scenario of this name, if any."""
        with self._session() as s:
            found = s.scalar(select(_Scenario.id).where(_Scenario.name == name))
        return None if found is None else self.scenario(found)

    def create(self, name: str, text: str, *, author: str, message: str) -> StoredScenario:
        """A new scenario with its first version (one transaction), or :class:`Conflict`."""
        with self._session() as s, s.begin():
            if s.scalar(select(_Scenario.id).where(_Scenario.name == name)) is not None:
                raise Conflict(f"a scenario named {name!r} exists already")
            now = _now()
            row = _Scenario(name=name, created=now)
            s.add(row)
            s.flush()
            s.add(
                _Version(
                    scenario_id=row.id,
                    number=1,
                    author=author,
                    message=message,
                    created=now,
                    text=text,
                )
            )
        return self.scenario(row.id)

    def delete(self, scenario_id: int) -> None:
        """Remove a scenario with its versions and deal files."""
        with self._session() as s, s.begin():
            row = s.get(_Scenario, scenario_id)
            if row is None:
                raise NotFound(f"no scenario {scenario_id}")
            for table in (_Version, _Deal):
                for item in s.scalars(select(table).where(table.scenario_id == scenario_id)):
                    s.delete(item)
            s.delete(row)

    def add_version(self, scenario_id: int, text: str, *, author: str, message: str) -> Version:
        """Save ``text`` as the scenario's next version."""
        with self._session() as s, s.begin():
            if s.get(_Scenario, scenario_id) is None:
                raise NotFound(f"no scenario {scenario_id}")
            latest = s.scalar(
                select(func.max(_Version.number)).where(_Version.scenario_id == scenario_id)
            )
            row = _Version(
                scenario_id=scenario_id,
                number=int(latest or 0) + 1,
                author=author,
                message=message,
                created=_now(),
                text=text,
            )
            s.add(row)
        return _version(row)

    def versions(self, scenario_id: int) -> list[Version]:
        """Every version of a scenario, oldest first."""
        self.scenario(scenario_id)
        with self._session() as s:
            rows = s.scalars(
                select(_Version)
                .where(_Version.scenario_id == scenario_id)
                .order_by(_Version.number)
            ).all()
            return [_version(r) for r in rows]

    def version(self, scenario_id: int, number: int | None = None) -> Version:
        """One version (default: the latest), or :class:`NotFound`."""
        with self._session() as s:
            query = select(_Version).where(_Version.scenario_id == scenario_id)
            if number is None:
                query = query.order_by(_Version.number.desc()).limit(1)
            else:
                query = query.where(_Version.number == number)
            row = s.scalars(query).first()
            if row is None:
                raise NotFound(
                    f"no scenario {scenario_id}"
                    if number is None
                    else f"no version {number} of scenario {scenario_id}"
                )
            return _version(row)

    def deals(self, scenario_id: int) -> dict[str, str]:
        """The scenario's deal files, name -> text."""
        self.scenario(scenario_id)
        with self._session() as s:
            rows = s.scalars(
                select(_Deal).where(_Deal.scenario_id == scenario_id).order_by(_Deal.name)
            ).all()
            return {r.name: r.text for r in rows}

    def add_deal(self, scenario_id: int, name: str, text: str) -> None:
        """Keep a deal file with the scenario, or :class:`Conflict` when the name is taken."""
        with self._session() as s, s.begin():
            if s.get(_Scenario, scenario_id) is None:
                raise NotFound(f"no scenario {scenario_id}")
            taken = s.scalar(
                select(_Deal.id).where(_Deal.scenario_id == scenario_id, _Deal.name == name)
            )
            if taken is not None:
                raise Conflict(f"a deal file named {name!r} exists already")
            s.add(_Deal(scenario_id=scenario_id, name=name, text=text, created=_now()))


def _version(row: _Version) -> Version:
    return Version(
        row.scenario_id, row.number, row.author, row.message, _as_utc(row.created), row.text
    )


def _sqlite_foreign_keys(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

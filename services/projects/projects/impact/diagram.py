"""The network's own driver diagram: an aim, drivers in order, and which measure evidences which
driver. Network administrators edit it; everyone signed in reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from servicekit.errors import InvalidInput, NotAllowed, NotFound
from servicekit.identity import Principal
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from projects.impact.catalogue import BY_KEY
from projects.impact.models import MeasureDriverRow, NetworkAimRow, NetworkDriverRow

TEXT_MAX = 300
MOST_DRIVERS = 20


@dataclass(frozen=True, slots=True)
class Driver:
    id: UUID
    text: str
    measure_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diagram:
    aim: str
    drivers: tuple[Driver, ...]

    def driver_of(self, measure_key: str) -> UUID | None:
        for driver in self.drivers:
            if measure_key in driver.measure_keys:
                return driver.id
        return None


async def read_diagram(session: AsyncSession) -> Diagram:
    aim = await session.scalar(select(NetworkAimRow.text).where(NetworkAimRow.id == 1))
    drivers = (await session.scalars(select(NetworkDriverRow).order_by(NetworkDriverRow.position))).all()
    attached: dict[UUID, list[str]] = {}
    for key, driver_id in (await session.execute(select(MeasureDriverRow.measure_key, MeasureDriverRow.driver_id))):
        attached.setdefault(driver_id, []).append(key)
    order = list(BY_KEY)
    return Diagram(
        aim=aim or "",
        drivers=tuple(Driver(d.id, d.text, tuple(sorted(attached.get(d.id, []), key=order.index)))
                      for d in drivers),
    )


def _admin(principal: Principal) -> None:
    principal.require_member()
    if not principal.is_network_admin:
        raise NotAllowed("Only network administrators can change the network's aim and drivers.")


def _text(value: str, field: str) -> str:
    cleaned = " ".join(value.split())
    if not 3 <= len(cleaned) <= TEXT_MAX:
        raise InvalidInput(f"Write between 3 and {TEXT_MAX} characters.", field=field)
    return cleaned


async def _driver(session: AsyncSession, driver_id: UUID) -> NetworkDriverRow:
    found = await session.get(NetworkDriverRow, driver_id, with_for_update=True)
    if found is None:
        raise NotFound("There is no such driver on the network's diagram.", field="driverId")
    return found


async def set_aim(session: AsyncSession, principal: Principal, text: str, now: datetime) -> Diagram:
    _admin(principal)
    cleaned = _text(text, "text")
    await session.execute(insert(NetworkAimRow).values(id=1, text=cleaned, changed_at=now)
                          .on_conflict_do_update(index_elements=["id"], set_={"text": cleaned, "changed_at": now}))
    return await read_diagram(session)


async def add_driver(session: AsyncSession, principal: Principal, text: str) -> Diagram:
    _admin(principal)
    cleaned = _text(text, "text")
    # Serialise additions, so two at once cannot take the same place or pass the limit together.
    await session.execute(select(NetworkAimRow.id).where(NetworkAimRow.id == 1).with_for_update())
    count, last = (await session.execute(
        select(func.count(), func.max(NetworkDriverRow.position)))).one()
    if count >= MOST_DRIVERS:
        raise InvalidInput(f"The diagram has room for {MOST_DRIVERS} drivers. Change or remove one first.",
                           field="text")
    session.add(NetworkDriverRow(id=uuid4(), text=cleaned, position=(last if last is not None else -1) + 1))
    await session.flush()
    return await read_diagram(session)


async def update_driver(session: AsyncSession, principal: Principal, driver_id: UUID, text: str) -> Diagram:
    _admin(principal)
    cleaned = _text(text, "text")
    (await _driver(session, driver_id)).text = cleaned
    await session.flush()
    return await read_diagram(session)


async def remove_driver(session: AsyncSession, principal: Principal, driver_id: UUID) -> Diagram:
    """Its measures stay, on no driver, until attached elsewhere."""
    _admin(principal)
    await _driver(session, driver_id)
    await session.execute(delete(NetworkDriverRow).where(NetworkDriverRow.id == driver_id))
    return await read_diagram(session)


async def attach_measure(session: AsyncSession, principal: Principal, measure_key: str,
                         driver_id: UUID | None) -> Diagram:
    """Put a measure on a driver (one driver per measure), or on none when `driver_id` is None."""
    _admin(principal)
    if measure_key not in BY_KEY:
        raise InvalidInput("There is no impact measure with that key.", field="measureKey")
    if driver_id is None:
        await session.execute(delete(MeasureDriverRow).where(MeasureDriverRow.measure_key == measure_key))
    else:
        await _driver(session, driver_id)
        await session.execute(insert(MeasureDriverRow).values(measure_key=measure_key, driver_id=driver_id)
                              .on_conflict_do_update(index_elements=["measure_key"], set_={"driver_id": driver_id}))
    return await read_diagram(session)


__all__ = ["Diagram", "Driver", "add_driver", "attach_measure", "read_diagram", "remove_driver", "set_aim",
           "update_driver"]

"""The portal's pages, one router per area."""

from fastapi import APIRouter

from portal.pages import coordinator, general, impact, people, projects, wall

ROUTERS: list[APIRouter] = [general.router, wall.router, projects.router, people.router, coordinator.router,
                            impact.router]

"""Demo users, one per role. All share the password ``DEMO_PASSWORD``; governance seeds DACs for the DAC members."""

from __future__ import annotations

from typing import NamedTuple

from catalogue.models import MembershipRole

DEMO_PASSWORD = "harmony-demo"


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str  # a MembershipRole value, or "admin" for the alliance administrator (superuser, no membership)
    partner_slug: str
    description: str


ADMIN = "admin"

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Ada", "Admin", ADMIN, "", "Alliance administrator: Django admin, every partner's datasets"),
    DemoUser(
        "curator", "Clara", "Kurator", MembershipRole.CURATOR, "ukhd", "Data curator at Universitätsklinikum Heidelberg"
    ),
    DemoUser(
        "curator-es",
        "Carmen",
        "Curadora",
        MembershipRole.CURATOR,
        "husal",
        "Data curator at Hospital Universitario de Salamanca",
    ),
    DemoUser("researcher", "Rob", "Researcher", MembershipRole.RESEARCHER, "erasmus-mc", "Researcher at Erasmus MC"),
    DemoUser(
        "pharma-researcher",
        "Petra",
        "Pharma",
        MembershipRole.RESEARCHER,
        "novartis",
        "Researcher at Novartis Pharma AG (commercial use)",
    ),
    DemoUser("dac-chair", "Dieter", "Chair", MembershipRole.DAC_MEMBER, "ukhd", "Chairs the Heidelberg DAC"),
    DemoUser(
        "dac-member",
        "Dana",
        "Member",
        MembershipRole.DAC_MEMBER,
        "ukhd",
        "Member of the Heidelberg DAC",
    ),
    DemoUser(
        "dac-member-es",
        "Diego",
        "Miembro",
        MembershipRole.DAC_MEMBER,
        "husal",
        "Member of the Salamanca DAC",
    ),
)


def demo_logins() -> list[DemoUser]:
    return list(DEMO_USERS)

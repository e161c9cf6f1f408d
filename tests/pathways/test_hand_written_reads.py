"""The hand-written reads of pathways.selectors give what the ORM gives, on the seed's
population: the worklist's rows (with figures equal to those the pathway page computes from the
stays in Python, on several days), one pathway by its public id, its stays and its team."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.demo.seeding import seed
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.selectors import PathwayDetail, _get, _overview_rows


def _fields(instance) -> dict:  # type: ignore[no-untyped-def]
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _expected(pathway: Pathway, today: dt.date) -> tuple:  # type: ignore[type-arg]
    stays = list(pathway.stays.select_related("unit").order_by("planned_start", "id"))
    ongoing = next((s for s in stays if s.status == Stay.Status.ONGOING), None)
    return (
        ongoing.unit.name if ongoing and ongoing.kind == Stay.Kind.RESIDENTIAL else None,
        ongoing.planned_end if ongoing else None,
        ongoing.kind if ongoing else None,
        min((s.planned_start for s in stays
             if s.status == Stay.Status.PLANNED and s.planned_start >= today), default=None),
        min((s.admitted_on for s in stays if s.admitted_on is not None), default=None),
    )


@pytest.mark.django_db
def test_rows_match_the_orm_and_the_pathway_page() -> None:
    seed(patients=16, seed=5)
    reference = list(Pathway.objects.select_related("patient", "coordinating_unit", "coordinator")
                     .order_by("-opened_at", "-id"))
    assert Stay.objects.filter(status=Stay.Status.ONGOING).exists()
    assert Stay.objects.filter(status=Stay.Status.PLANNED).exists()
    dates = sorted({s.planned_start for s in Stay.objects.all()})
    figures_seen: set[int] = set()
    for today in [dates[0], dates[len(dates) // 2], dates[-1] + dt.timedelta(days=1)]:
        rows = _overview_rows([p.pk for p in reference], today)
        assert [p.pk for p in rows] == [p.pk for p in reference]
        for got, want in zip(rows, reference, strict=True):
            assert _fields(got) == _fields(want)
            assert _fields(got.patient) == _fields(want.patient)
            assert _fields(got.coordinating_unit) == _fields(want.coordinating_unit)
            assert (_fields(got.coordinator) if got.coordinator else None) == (
                _fields(want.coordinator) if want.coordinator else None)
            figures = (got.treating_unit_name, got.ongoing_planned_end, got.ongoing_kind,
                       got.next_planned_start, got.first_admitted_on)
            assert figures == _expected(want, today), want
            figures_seen.update(i for i, value in enumerate(figures) if value is not None)
    assert figures_seen == {0, 1, 2, 3, 4}  # every figure was compared with a value at least once
    assert _overview_rows([], dates[0]) == []


def test_a_long_list_links_the_ends_and_two_pages_either_side() -> None:
    from django.core.paginator import Paginator

    from ettervern.pathways.selectors import Worklist

    def numbers(page: int, count: int = 500) -> list:  # type: ignore[type-arg]
        current = Paginator(range(count), 25).get_page(page)
        return Worklist(page=current, rows=[], scope="unit", phase="", query="").page_numbers

    dots = Paginator.ELLIPSIS
    assert numbers(10) == [1, dots, 8, 9, 10, 11, 12, dots, 20]
    assert numbers(1) == [1, 2, 3, dots, 20]
    assert numbers(1, count=60) == [1, 2, 3]


def _related(instance, *names: str) -> list:  # type: ignore[no-untyped-def, type-arg]
    found = []
    for name in names:
        target = instance
        for step in name.split("__"):
            target = getattr(target, step)
        found.append(_fields(target) if target is not None else None)
    return found


@pytest.mark.django_db
def test_one_pathway_its_stays_and_team_match_the_orm(django_assert_num_queries) -> None:
    from ettervern.access.policy import Basis

    seed(patients=12, seed=8)
    pathways = list(Pathway.objects.order_by("id"))
    checked_stays = checked_members = 0
    for want in pathways:
        got = _get(want.public_id)
        assert _fields(got) == _fields(want)
        assert _related(got, "patient", "coordinating_unit", "coordinator") == _related(
            want, "patient", "coordinating_unit", "coordinator")
        assert _get(str(want.public_id)).pk == want.pk
        detail = PathwayDetail(pathway=got, basis=Basis("coordinator"))
        stays = list(want.stays.select_related("unit__organisation").order_by("planned_start",
                                                                              "id"))
        with django_assert_num_queries(2):
            got_stays, got_team = detail.stays, detail.team
        assert [_fields(s) for s in got_stays] == [_fields(s) for s in stays]
        assert [_related(s, "unit", "unit__organisation") for s in got_stays] == [
            _related(s, "unit", "unit__organisation") for s in stays]
        assert all(s.pathway is got for s in got_stays)
        team = list(want.team.filter(ended_at__isnull=True).select_related("staff")
                    .order_by("role", "staff__name", "id"))
        assert [_fields(m) for m in got_team] == [_fields(m) for m in team]
        assert [_related(m, "staff") for m in got_team] == [_related(m, "staff") for m in team]
        checked_stays += len(stays)
        checked_members += len(team)
    assert checked_stays and checked_members


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "nope", "123", None, 5,
                                 "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_or_malformed_id_is_not_found(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        _get(bad)


@pytest.mark.django_db
def test_handovers_to_me_match_the_orm() -> None:
    """The hand-overs at the top of a worklist: the same rows, with pathway, patient and the
    previous coordinator, as the ORM reads them; only recent ones, of open pathways the reader
    still coordinates."""
    from ettervern.access.policy import Actor
    from ettervern.pathways.models import CoordinatorHandover
    from ettervern.pathways.selectors import HANDOVER_NOTICE_DAYS, handovers_to_me

    seed(patients=16, seed=4)
    handed = CoordinatorHandover.objects.select_related("to_staff__user")
    assert handed.exists()
    since = clock.now() - dt.timedelta(days=HANDOVER_NOTICE_DAYS)
    compared = 0
    for receiver in {h.to_staff for h in handed}:
        got = handovers_to_me(actor=Actor(user=receiver.user, channel="web"))
        want = list(CoordinatorHandover.objects.filter(
            to_staff=receiver, at__gte=since, pathway__coordinator=receiver,
            pathway__closed_at__isnull=True)
            .select_related("pathway__patient", "from_staff").order_by("-at", "-id")[:10])
        assert [_fields(h) for h in got] == [_fields(h) for h in want]
        assert _related_all(got) == _related_all(want)
        compared += len(got)
    assert compared  # at least one recent hand-over was compared


def _related_all(handovers) -> list:  # type: ignore[no-untyped-def, type-arg]
    return [(_fields(h.pathway), _fields(h.pathway.patient),
             _fields(h.from_staff) if h.from_staff else None) for h in handovers]

"""`{% url_by_id %}` gives what `{% url %}` gives."""

from __future__ import annotations

import uuid

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import translation

from ettervern.web.routes import reverse_by_id

ROUTES = [("pathways:pathway", 1), ("pathways:stay_admit", 1), ("pathways:careteam_end", 1),
          ("pathways:worklist", 0), ("web:logout", 0), ("set_language", 0), ("admin:index", 0)]


@pytest.mark.parametrize(("name", "count"), ROUTES)
def test_the_same_url_as_reverse(name: str, count: int) -> None:
    for _ in range(3):  # the first call reverses, the later ones fill in
        ids = [uuid.uuid4() for _ in range(count)]
        assert reverse_by_id(name, *ids) == reverse(name, args=ids)


def test_follows_the_script_prefix_and_language() -> None:
    some = uuid.uuid4()
    try:
        set_script_prefix("/under/")
        assert reverse_by_id("pathways:pathway", some) == f"/under/forlop/{some}/"
    finally:
        set_script_prefix("/")
    with translation.override("en"):
        assert reverse_by_id("pathways:pathway", some) == f"/forlop/{some}/"
    assert reverse_by_id("pathways:pathway", some) == f"/forlop/{some}/"


def test_other_arguments_are_reversed_as_usual() -> None:
    some = uuid.uuid4()
    assert reverse_by_id("pathways:pathway", str(some)) == f"/forlop/{some}/"


def test_the_tag_renders_as_the_url_tag() -> None:
    ids = {"a": uuid.uuid4(), "b": uuid.uuid4()}
    ours = engines["django"].from_string(
        "{% load web %}{% url_by_id 'pathways:pathway' a %}"
        " {% url_by_id 'pathways:stay_cancel' b %} {% url_by_id 'web:home' %}")
    theirs = engines["django"].from_string(
        "{% url 'pathways:pathway' a %} {% url 'pathways:stay_cancel' b %} {% url 'web:home' %}")
    assert ours.render(ids) == theirs.render(ids)

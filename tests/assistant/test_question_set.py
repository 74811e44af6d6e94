"""The labelled questions (questions.json) that measure catalog search are honest: written in people's
words, not copied from item names, labelled with services that exist and fit the asker, covering the
whole demo catalog. The measurement itself is tests/demo/city/test_citizen_questions.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from yiwang.demo.catalog_data import demo_catalog

QUESTIONS = json.loads((Path(__file__).parent / "questions.json").read_text(encoding="utf-8"))
NAME_RUN = 6  # no question holds this many characters in a row of a service's name


def services() -> dict[str, tuple[str, set[str]]]:
    """code → (name, recipient codes) of every published item and bundle of the demo catalog."""
    catalog = demo_catalog()
    found = {}
    for item in catalog["items"]:
        version = [v for v in item["versions"] if v["status"] == "published"][-1]
        found[item["code"]] = (version["name"], set(version["recipients"].split("^")))
    for bundle in catalog["bundles"]:
        found[bundle["code"]] = (bundle["name"], set(bundle["recipients"].split("^")))
    return found


def test_there_are_enough_questions_of_people_and_of_companies_and_of_what_is_not_covered():
    audiences = Counter(q["audience"] for q in QUESTIONS["questions"])
    assert len(QUESTIONS["questions"]) >= 200
    assert audiences["legal"] >= 50 and audiences["person"] >= 100
    assert len(QUESTIONS["declined"]) >= 30


def test_every_label_is_a_published_service_that_serves_the_asker():
    known = services()
    for question in QUESTIONS["questions"]:
        for code in question["expect"]:
            assert code in known, question
            recipients = known[code][1]
            fits = "1" in recipients if question["audience"] == "person" else bool(recipients - {"1"})
            assert fits, (question["q"], known[code][0])


def test_every_item_is_asked_for_and_every_bundle_twice():
    known = services()
    asked = Counter(code for q in QUESTIONS["questions"] for code in q["expect"])
    bundles = {b["code"] for b in demo_catalog()["bundles"]}
    assert {code for code in known if code not in bundles} <= set(asked)
    assert all(asked[code] >= 2 for code in bundles)


def test_no_question_copies_a_name_and_none_is_asked_twice():
    runs = {
        name[i : i + NAME_RUN] for name, _ in services().values() for i in range(len(name) - NAME_RUN + 1)
    }
    asked = [q["q"] for q in QUESTIONS["questions"]] + [q["q"] for q in QUESTIONS["declined"]]
    assert len(asked) == len(set(asked))
    for question in asked:
        assert not any(run in question for run in runs), question

"""The rubric format and loader: every invariant, each with the exact message a person sees."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hiring.rubric_loader import RubricFolder, RubricSet, load_rubrics, parse_rubric, rubric_files
from hiring.rubrics import Rubric
from tests.rubric_samples import VALID_RUBRIC

SOURCE = "rubrics/test-role.yaml"
PROJECT_RUBRICS = Path(__file__).parent.parent / "rubrics"


def _errors(text: str) -> list[str]:
    rubric, errors = parse_rubric(text, SOURCE)
    assert (rubric is None) == bool(errors)
    return errors


def _broken(old: str, new: str) -> str:
    assert old in VALID_RUBRIC, old
    return VALID_RUBRIC.replace(old, new, 1)


def test_the_sample_rubric_is_valid() -> None:
    rubric, errors = parse_rubric(VALID_RUBRIC, SOURCE)
    assert errors == []
    assert rubric is not None
    assert [point.label for point in rubric.scale] == ["Strong no", "No", "Yes", "Strong yes"]
    assert rubric.competency("agency").anchors[4].startswith("Fixed the problem")
    assert rubric.weights() == {"agency": 2.0, "ambiguity": 1.0}
    assert rubric.weights("early-stage") == {"agency": 3.0, "ambiguity": 1.0}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "3: Made a plan., ",
            "",
            "competencies[1] (ambiguity).anchors: missing anchor for scale value 3",
            id="missing-anchor",
        ),
        pytest.param(
            "4: Thrived.}",
            "4: Thrived., 5: Flew.}",
            "competencies[1] (ambiguity).anchors: anchor "
            "for 5, which is not a value of the scale (1, 2, 3, 4)",
            id="anchor-off-scale",
        ),
        pytest.param(
            "{value: 2, label: No}",
            "{value: 5, label: No}",
            "scale: values must increase strictly from low to high, got 1, 5, 3, 4",
            id="scale-not-increasing",
        ),
        pytest.param(
            "{value: 1, label: Strong no}",
            "{value: 1.5, label: Strong no}",
            "scale[0].value: Input should be a valid integer, got a number with a fractional part",
            id="scale-not-integer",
        ),
        pytest.param(
            "  - {value: 2, label: No}\n  - {value: 3, label: Yes}\n  - {value: 4, label: Strong "
            "yes}\n",
            "",
            "scale: the scale has 1 point; it needs 2 to 10",
            id="scale-too-short",
        ),
        pytest.param(
            "    weight: 2",
            "    weight: 0",
            "competencies[0] (agency).weight: Input should be greater than 0",
            id="weight-zero",
        ),
        pytest.param(
            "  - id: ambiguity\n",
            "  - id: agency\n",
            "competencies[1] (agency).id: competency id 'agency' is used more than once in this "
            "rubric",
            id="duplicate-competency",
        ),
        pytest.param(
            "stage_profiles:",
            "  - id: needs-swim-lanes\n    name: Again\n    severity: low\n"
            "    cues: [lanes]\nstage_profiles:",
            "anti_patterns[1] (needs-swim-lanes).id: "
            "anti-pattern id 'needs-swim-lanes' is used more than once in this rubric",
            id="duplicate-anti-pattern",
        ),
        pytest.param(
            "competencies: [ambiguity]",
            "competencies: [ambiguty]",
            "anti_patterns[0] (needs-swim-lanes).competencies: unknown competency 'ambiguty'; "
            "this rubric's competencies are agency, ambiguity",
            id="unknown-linked-competency",
        ),
        pytest.param(
            "early-stage: {agency: 3}",
            "early-stage: {agencyy: 3}",
            "stage_profiles: stage profile 'early-stage': unknown competency 'agencyy'; this "
            "rubric's competencies are agency, ambiguity",
            id="unknown-profile-competency",
        ),
        pytest.param(
            "early-stage: {agency: 3}",
            "early-stage: {agency: -1}",
            "stage_profiles.early-stage.agency: Input should be greater than 0",
            id="profile-weight-negative",
        ),
        pytest.param(
            "cues: [swim lanes, clearly defined scope]",
            "cues: []",
            "anti_patterns[0] (needs-swim-lanes).cues: needs at least one cue phrase",
            id="no-cues",
        ),
        pytest.param(
            "cues: [swim lanes, clearly defined scope]",
            "cues: [swim lanes, '  ']",
            "anti_patterns[0] (needs-swim-lanes).cues[1]: is blank: write the text",
            id="blank-cue",
        ),
        pytest.param(
            "cues: [swim lanes, clearly defined scope]",
            "cues:\n      - swim lanes\n      -",
            "anti_patterns[0] (needs-swim-lanes).cues[1]: is empty: write the text",
            id="empty-cue",
        ),
        pytest.param(
            "3: Made a plan.,",
            "3: ,",
            "competencies[1] (ambiguity).anchors.3: is empty: write the text",
            id="empty-anchor",
        ),
        pytest.param(
            "label: Strong yes",
            "label: true",
            "scale[3].label: true is read as a boolean: put the text in quotes",
            id="boolean-label",
        ),
        pytest.param(
            "name: Agency",
            "name: 42",
            "competencies[0] (agency).name: 42 is read as a number: put it in quotes",
            id="number-name",
        ),
        pytest.param(
            "severity: high",
            "severity: critical",
            "anti_patterns[0] (needs-swim-lanes).severity: Input should be 'low', 'medium' or "
            "'high'",
            id="bad-severity",
        ),
        pytest.param(
            "threshold: 2",
            "threshold: 7",
            "anti_patterns[0] (needs-swim-lanes).threshold: threshold 7 is outside the scale "
            "(1 to 4)",
            id="threshold-off-scale",
        ),
        pytest.param(
            "id: test-role",
            "id: Test_Role",
            "id: 'Test_Role' is not a valid id: use lowercase letters, digits and single "
            "hyphens, like 'product-manager'",
            id="bad-slug",
        ),
        pytest.param(
            "    weight: 2",
            "    wieght: 2",
            "competencies[0] (agency): unknown field 'wieght' (did you mean 'weight'?)",
            id="misspelt-field",
        ),
        pytest.param(
            "title: Test role\n",
            "",
            "title: required field is missing",
            id="missing-title",
        ),
        pytest.param(
            "version: 1",
            "version: 0",
            "version: Input should be greater than or equal to 1",
            id="version-zero",
        ),
    ],
)
def test_each_invariant_has_a_precise_message(old: str, new: str, message: str) -> None:
    assert f"{SOURCE}: {message}" in _errors(_broken(old, new))


def test_every_error_in_a_file_is_reported_at_once() -> None:
    text = _broken("    weight: 2", "    weight: -2")
    text = text.replace("3: Made a plan., ", "").replace("severity: high", "severity: urgent")
    assert _errors(text) == [
        f"{SOURCE}: competencies[0] (agency).weight: Input should be greater than 0",
        f"{SOURCE}: competencies[1] (ambiguity).anchors: missing anchor for scale value 3",
        f"{SOURCE}: anti_patterns[0] (needs-swim-lanes).severity: Input should be 'low', "
        "'medium' or 'high'",
    ]


def test_an_invalid_scale_is_one_error_not_one_per_anchor() -> None:
    points = "".join(f"  - {{value: {v}, label: Point {v}}}\n" for v in range(1, 12))
    head, rest = VALID_RUBRIC.split("scale:\n")
    text = f"{head}scale:\n{points}competencies:{rest.split('competencies:', 1)[1]}"
    assert _errors(text) == [f"{SOURCE}: scale: the scale has 11 points; it needs 2 to 10"]


def test_a_rubric_without_competencies_is_one_error() -> None:
    head, rest = VALID_RUBRIC.split("competencies:\n", 1)
    text = f"{head}competencies: []\nanti_patterns:{rest.split('anti_patterns:', 1)[1]}"
    assert _errors(text) == [f"{SOURCE}: competencies: needs at least one competency"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "    name: Agency\n",
            "\tname: Agency\n",
            "13:1: YAML syntax error: found character '\\t' that cannot start any token: "
            "indent with spaces, not tabs",
            id="tab",
        ),
        pytest.param(
            "title: Test role",
            "title: Test role: the sequel",
            "3:17: YAML syntax error: mapping values are not allowed here: "
            "if the text contains ': ', put it in quotes",
            id="colon-in-text",
        ),
    ],
)
def test_common_yaml_mistakes_come_with_a_hint(old: str, new: str, message: str) -> None:
    assert _errors(_broken(old, new)) == [f"{SOURCE}:{message}"]


def test_yaml_syntax_errors_give_line_and_column() -> None:
    text = _broken("    name: Agency\n", "    name: Agency\n   weight: [\n")
    [error] = _errors(text)
    assert error.startswith(f"{SOURCE}:14:4: YAML syntax error:")


def test_a_key_given_twice_is_an_error_not_a_silent_overwrite() -> None:
    text = _broken("      2: Acted once asked.\n", "      2: Acted once asked.\n      2: Again.\n")
    assert _errors(text) == [
        f"{SOURCE}:20:7: YAML syntax error: key 2 appears twice in the same mapping"
    ]


def test_a_file_that_is_not_a_mapping_is_explained() -> None:
    assert _errors("- just\n- a list\n") == [
        f"{SOURCE}: expected a mapping of rubric fields (id, title, version, ...)"
    ]


def test_yes_and_no_labels_stay_text() -> None:
    rubric, _ = parse_rubric(VALID_RUBRIC.replace("label: Strong yes", "label: On"), SOURCE)
    assert rubric is not None
    assert [point.label for point in rubric.scale] == ["Strong no", "No", "Yes", "On"]


def test_content_hash_ignores_layout_and_follows_content() -> None:
    rubric = parse_rubric(VALID_RUBRIC, SOURCE)[0]
    relaid = parse_rubric(
        "# comment\n" + VALID_RUBRIC.replace("{agency: 3}", "\n    agency: 3"), SOURCE
    )[0]
    edited = parse_rubric(VALID_RUBRIC.replace("Acted once asked.", "Acted when asked."), SOURCE)[0]
    assert rubric is not None and relaid is not None and edited is not None
    assert rubric.content_hash == relaid.content_hash
    assert rubric.content_hash != edited.content_hash


def test_rubric_ids_are_unique_across_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID_RUBRIC)
    (tmp_path / "b.yaml").write_text(VALID_RUBRIC.replace("title: Test role", "title: Copy"))
    loaded = load_rubrics([tmp_path])
    assert list(loaded.rubrics) == ["test-role"]
    [[message]] = loaded.errors.values()
    assert message.endswith(
        "b.yaml: id: 'test-role' is already the id of "
        + str(tmp_path / "a.yaml")
        + "; ids must be unique"
    )


def test_unreadable_and_missing_paths_are_reported(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("id: cafe\ntitle: caf\xe9\n".encode("latin-1"))
    loaded = load_rubrics([tmp_path, tmp_path / "nowhere"])
    assert loaded.errors == {
        str(tmp_path / "latin1.yaml"): [
            f"{tmp_path / 'latin1.yaml'}: line 2: the file is not UTF-8 text: save it as UTF-8"
        ],
        str(tmp_path / "nowhere"): [f"{tmp_path / 'nowhere'}: no such file or folder"],
    }


def test_a_file_named_twice_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "role.yml").write_text(VALID_RUBRIC)
    (tmp_path / "rubrics" / "nested").mkdir()
    (tmp_path / "rubrics" / "nested" / "other.yaml").write_text(VALID_RUBRIC)
    monkeypatch.chdir(tmp_path)
    named = [Path("rubrics"), Path("rubrics/role.yml"), Path("./rubrics/role.yml")]
    assert rubric_files(named) == ([Path("rubrics/role.yml")], [])
    loaded = load_rubrics(named)
    assert (list(loaded.rubrics), loaded.errors) == (["test-role"], {})


def test_the_folder_reloads_after_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "role.yaml"
    path.write_text(VALID_RUBRIC)
    folder = RubricFolder(tmp_path)
    assert folder.current().rubrics["test-role"].title == "Test role"
    path.write_text(VALID_RUBRIC.replace("title: Test role", "title: Edited role"))
    assert folder.current().rubrics["test-role"].title == "Edited role"
    path.write_text("id: [broken")
    assert folder.current().rubrics == {}
    assert folder.current().errors


def test_threads_that_find_the_folder_changed_at_once_read_it_once() -> None:
    """A worker's threads starting together (its first requests, or after an edit) share
    one reading of the files instead of each parsing them."""
    folder, start = RubricFolder(PROJECT_RUBRICS), threading.Barrier(8)
    read: list[RubricSet] = []

    def request() -> None:
        start.wait()
        read.append(folder.current())

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read) == 8
    assert len({id(rubric_set) for rubric_set in read}) == 1


def test_the_shipped_rubrics_are_valid_and_cover_the_framework() -> None:
    loaded = load_rubrics([PROJECT_RUBRICS])
    assert loaded.errors == {}
    assert set(loaded.rubrics) >= {"product-manager", "product-engineer", "research-engineer"}
    required = {
        "product-manager": {
            "high-agency",
            "comfort-with-ambiguity",
            "leading-through-influence",
            "high-eq",
            "decisiveness",
            "bias-to-shipping",
        },
        "product-engineer": {
            "user-experience-opinions",
            "proactive-problem-finding",
            "product-tradeoffs",
            "moves-without-specs",
            "execution-speed",
        },
        "research-engineer": {
            "builds-evals",
            "fine-tunes-for-use-case",
            "data-from-product-usage",
            "cost-speed-accuracy-tradeoffs",
            "teammate-not-vendor",
        },
    }
    anti_patterns: set[str] = set()
    for rubric_id, competencies in required.items():
        rubric: Rubric = loaded.rubrics[rubric_id]
        assert competencies <= {c.id for c in rubric.competencies}
        assert all(c.questions for c in rubric.competencies)
        anti_patterns |= {a.id for a in rubric.anti_patterns}
        assert set(rubric.stage_profiles) == {
            "early-stage",
            "growth-stage",
            "large-company-adopting-ai",
        }
    assert anti_patterns >= {
        "needs-swim-lanes",
        "deck-culture",
        "ceo-of-product",
        "abdication",
        "waits-for-permission",
        "plans-as-commitments",
        "research-as-vendor",
        "needs-detailed-specs",
        "polish-over-shipping",
    }

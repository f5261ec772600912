"""The statistics of hiring.stats, checked against published reference values.

Project rule: statistics are checked against published reference values, not against our own
output. Each test names its source; where a value is worked by hand from a published
definition, the comment shows the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from hiring import stats

FIVE_POINTS = (1, 2, 3, 4, 5)

# --- Krippendorff's alpha ------------------------------------------------------------------

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, departmental paper 43, https://repository.upenn.edu/asc_papers/43: the worked
# example of 4 observers x 12 units, values 1-5, None where an observer gave no value.
KRIPPENDORFF_2011: tuple[tuple[int | None, ...], ...] = (
    (1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None),  # observer A
    (1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3),  # observer B
    (None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None),  # observer C
    (1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None),  # observer D
)


def value_counts(
    reliability_data: Sequence[Sequence[int | None]], scale: Sequence[int]
) -> np.ndarray:
    """Observers x units reliability data -> the units x scale-values count matrix."""
    units = zip(*reliability_data, strict=True)
    return np.array([[unit.count(value) for value in scale] for unit in units], dtype=float)


def test_the_count_matrix_has_the_40_pairable_values_krippendorff_counts() -> None:
    # Krippendorff (2011), 4 x 12 example: unit 12 has a single value, so n = 40 pairable values.
    counts = value_counts(KRIPPENDORFF_2011, FIVE_POINTS)
    assert counts.shape == (12, 5)
    assert counts.sum() == 41
    per_unit = counts.sum(axis=1)
    assert per_unit[11] == 1
    assert per_unit[per_unit >= 2].sum() == 40


@pytest.mark.parametrize(("level", "published"), [("interval", 0.849), ("ordinal", 0.815)])
def test_alpha_reproduces_krippendorff_2011(level: stats.AlphaLevel, published: float) -> None:
    # Krippendorff (2011), 4 x 12 example: interval alpha = .849, ordinal alpha = .815
    # (nominal .743 and ratio .797 are not exposed by hiring.stats).
    result = stats.alpha(value_counts(KRIPPENDORFF_2011, FIVE_POINTS), FIVE_POINTS, level)
    assert result is not None
    assert round(result, 3) == published


@pytest.mark.parametrize("level", ["interval", "ordinal"])
def test_units_with_a_single_value_drop_out(level: stats.AlphaLevel) -> None:
    # Krippendorff (2011): a unit coded by only one observer is not pairable and contributes
    # nothing (unit 12 of the 4 x 12 example). Removing it, or adding more such units,
    # changes nothing.
    counts = value_counts(KRIPPENDORFF_2011, FIVE_POINTS)
    singletons = np.array([[0, 0, 0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0]], dtype=float)
    published = stats.alpha(counts, FIVE_POINTS, level)
    assert published is not None
    without_unit_12 = stats.alpha(counts[:11], FIVE_POINTS, level)
    with_more_singletons = stats.alpha(np.vstack([counts, singletons]), FIVE_POINTS, level)
    assert without_unit_12 == pytest.approx(published, abs=1e-12)
    assert with_more_singletons == pytest.approx(published, abs=1e-12)


@pytest.mark.parametrize("level", ["interval", "ordinal"])
@pytest.mark.parametrize(
    "counts",
    [
        pytest.param([[3, 0, 0, 0, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0, 0]], id="all-identical"),
        pytest.param([[0, 0, 4, 0, 0], [0, 0, 1, 0, 0]], id="identical-plus-singleton"),
        pytest.param([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1]], id="no-pairable-unit"),
        pytest.param(np.zeros((0, 5)), id="no-units"),
    ],
)
def test_alpha_is_undefined_without_pairable_variation(
    counts: list[list[int]] | np.ndarray, level: stats.AlphaLevel
) -> None:
    # Krippendorff (2011): alpha = 1 - D_o / D_e is undefined when the expected disagreement
    # D_e is 0 (every pairable value the same) or when there are no pairable values.
    assert stats.alpha(np.asarray(counts, dtype=float), FIVE_POINTS, level) is None


# --- Intraclass correlations ---------------------------------------------------------------

# Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin, 86(2), 420-428. Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS_TABLE_2 = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=float,
)


def test_icc_reproduces_the_six_estimates_shrout_and_fleiss_publish() -> None:
    # Shrout & Fleiss (1979), estimates for the Table 2 data, published to 2 decimals:
    # ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
    published = {
        "ICC1": 0.17,
        "ICC2": 0.29,
        "ICC3": 0.71,
        "ICC1k": 0.44,
        "ICC2k": 0.62,
        "ICC3k": 0.91,
    }
    result = stats.icc(SHROUT_FLEISS_TABLE_2)
    assert result is not None
    assert set(result) == set(published)
    assert {name: round(value, 2) for name, value in result.items()} == published


def test_icc_matches_the_seven_decimal_reproductions_of_the_shrout_fleiss_example() -> None:
    # The Shrout & Fleiss (1979) Table 2 data is Stata's `webuse judges`; Stata's `icc`
    # prints ICC(1,1) = .1657418 for it (reproduced in N. H. Bruun's icc2 help file,
    # http://fmwww.bc.edu/repec/bocode/i/icc2.sthlp), and an R `icc()` reference page's
    # example "from Shrout and Fleiss (1979)" prints all six, ANOVA method:
    # ICC1 0.1657418, ICC2 0.2897638, ICC3 0.7148407, ICC1k 0.4427971, ICC2k 0.6200505,
    # ICC3k 0.9093155. These also equal the exact fractions worked from the mean squares of
    # that data, BMS = 1349/120, WMS = 451/72, JMS = 2339/72, EMS = 367/360 (Shrout &
    # Fleiss print them as 11.24, 6.26, 32.49, 1.02): ICC1 = 1792/10812, ICC2 = 3680/12700,
    # ICC3 = 3680/5148, ICC1k = 1792/4047, ICC2k = 3680/5935, ICC3k = 3680/4047.
    printed = {
        "ICC1": 0.1657418,
        "ICC2": 0.2897638,
        "ICC3": 0.7148407,
        "ICC1k": 0.4427971,
        "ICC2k": 0.6200505,
        "ICC3k": 0.9093155,
    }
    exact = {
        "ICC1": 1792 / 10812,
        "ICC2": 3680 / 12700,
        "ICC3": 3680 / 5148,
        "ICC1k": 1792 / 4047,
        "ICC2k": 3680 / 5935,
        "ICC3k": 3680 / 4047,
    }
    result = stats.icc(SHROUT_FLEISS_TABLE_2)
    assert result is not None
    for name, value in printed.items():
        assert result[name] == pytest.approx(value, abs=5e-8), name
        assert result[name] == pytest.approx(exact[name], abs=1e-12), name


def test_the_average_measure_iccs_are_the_spearman_brown_step_up_of_the_single_ones() -> None:
    # Shrout & Fleiss (1979); R psych ICC() documentation (W. Revelle,
    # https://www.rdocumentation.org/packages/psych/topics/ICC): "the k rating case [is
    # equivalent] to the Spearman Brown adjusted reliability", k r / (1 + (k - 1) r), and
    # "alpha and ICC3k are identical" (Cronbach's 1951 alpha,
    # k / (k - 1) (1 - sum of judge variances / variance of target totals)).
    result = stats.icc(SHROUT_FLEISS_TABLE_2)
    assert result is not None
    k = SHROUT_FLEISS_TABLE_2.shape[1]
    for single, average in (("ICC1", "ICC1k"), ("ICC2", "ICC2k"), ("ICC3", "ICC3k")):
        r = result[single]
        assert result[average] == pytest.approx(k * r / (1 + (k - 1) * r), abs=1e-12)
    judge_variances = SHROUT_FLEISS_TABLE_2.var(axis=0, ddof=1).sum()
    total_variance = SHROUT_FLEISS_TABLE_2.sum(axis=1).var(ddof=1)
    cronbach = k / (k - 1) * (1 - judge_variances / total_variance)
    assert result["ICC3k"] == pytest.approx(cronbach, abs=1e-12)


@pytest.mark.parametrize(
    "matrix",
    [
        pytest.param(
            np.where(np.arange(24).reshape(6, 4) == 5, np.nan, SHROUT_FLEISS_TABLE_2),
            id="one-rating-missing",
        ),
        pytest.param(SHROUT_FLEISS_TABLE_2[:1], id="one-target"),
        pytest.param(SHROUT_FLEISS_TABLE_2[:, :1], id="one-rater"),
        pytest.param(SHROUT_FLEISS_TABLE_2[:, 0], id="not-a-matrix"),
        pytest.param(np.empty((0, 4)), id="no-targets"),
        pytest.param(np.full((3, 3), 4.0), id="no-variance"),
    ],
)
def test_icc_is_undefined_for_incomplete_or_degenerate_matrices(matrix: np.ndarray) -> None:
    # Shrout & Fleiss (1979) define the ICCs for n >= 2 targets each rated by the same
    # k >= 2 judges (a complete two-way layout); with no variance every ratio is 0 / 0.
    assert stats.icc(matrix) is None


# --- r_wg ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "published"),
    [(4, 1.25), (5, 2.0), (7, 4.0), (9, 80 / 12), (11, 10.0)],
)
def test_uniform_variance_is_a_squared_minus_one_over_twelve(points: int, published: float) -> None:
    # James, Demaree & Wolf (1984), Journal of Applied Psychology 69(1), 85-98:
    # sigma^2_EU = (A^2 - 1) / 12 for A response options. The R multilevel package's rwg()
    # documentation (https://rdrr.io/cran/multilevel/man/rwg.html) gives ranvar = 2 for
    # 5 options and the same formula otherwise.
    assert stats.uniform_variance(range(1, points + 1)) == pytest.approx(published, abs=1e-12)
    assert stats.uniform_variance(range(0, points)) == pytest.approx(published, abs=1e-12)


@pytest.mark.parametrize(
    ("ratings", "scale", "expected"),
    [
        # s^2 of (4, 4, 5, 5) = 1/3 (n - 1 denominator); 1 - (1/3) / 2 = 5/6.
        pytest.param((4, 4, 5, 5), FIVE_POINTS, 5 / 6, id="5-point"),
        # s^2 of (2, 3, 4) = 1; 1 - 1 / 2 = 0.5.
        pytest.param((2, 3, 4), FIVE_POINTS, 0.5, id="5-point-spread"),
        # s^2 of (6, 7, 7, 7, 6) = 0.3; 1 - 0.3 / 4 = 0.925.
        pytest.param((6, 7, 7, 7, 6), range(1, 8), 0.925, id="7-point"),
        # s^2 of (2, 3) = 0.5; 1 - 0.5 / 1.25 = 0.6.
        pytest.param((2, 3), (1, 2, 3, 4), 0.6, id="4-point"),
    ],
)
def test_rwg_is_one_minus_observed_over_uniform_variance(
    ratings: tuple[int, ...], scale: Sequence[int], expected: float
) -> None:
    # James, Demaree & Wolf (1984); multilevel rwg() documentation:
    # r_wg = 1 - (observed group variance / expected random variance), worked by hand.
    assert stats.rwg(ratings, scale) == pytest.approx(expected, abs=1e-12)


def test_rwg_is_one_for_perfect_agreement() -> None:
    # James, Demaree & Wolf (1984): no observed variance, r_wg = 1.
    assert stats.rwg((3, 3, 3, 3), FIVE_POINTS) == 1.0
    assert stats.rwg((7, 7), range(1, 8)) == 1.0


@pytest.mark.parametrize("ratings", [(), (4,)])
def test_rwg_is_undefined_below_two_ratings(ratings: tuple[int, ...]) -> None:
    # An observed variance needs at least two ratings.
    assert stats.rwg(ratings, FIVE_POINTS) is None


@pytest.mark.parametrize(
    "ratings",
    [
        pytest.param((1, 5, 1, 5), id="s2-16/3"),
        pytest.param((1, 5), id="s2-8"),
        pytest.param((1, 1, 5, 5, 3), id="s2-4"),
    ],
)
def test_rwg_truncates_to_zero_when_variance_exceeds_the_uniform(ratings: tuple[int, ...]) -> None:
    # James, Demaree & Wolf (1984), as the multilevel rwg() documentation puts it: "truncating
    # the Observed Group Variance to the Expected Random Variance ... results in an rwg value
    # of 0 (no agreement) for groups with large variances".
    assert np.var(ratings, ddof=1) > 2.0
    assert stats.rwg(ratings, FIVE_POINTS) == 0.0


def test_rwg_at_exactly_the_uniform_variance_is_zero() -> None:
    # James, Demaree & Wolf (1984): s^2 of (2, 4) = 2 = sigma^2_EU for 5 points, 1 - 2 / 2 = 0.
    assert stats.rwg((2, 4), FIVE_POINTS) == pytest.approx(0.0, abs=1e-12)


# --- Bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.2, "unreliable"),
        (0.0, "unreliable"),
        (0.6669, "unreliable"),
        (0.667, "tentative"),
        (0.7999, "tentative"),
        (0.8, "reliable"),
        (0.849, "reliable"),
        (1.0, "reliable"),
        (None, None),
    ],
)
def test_alpha_band_follows_krippendorff_2004(value: float | None, band: str | None) -> None:
    # Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.),
    # p. 241: rely on variables with alpha >= .800; consider .667 <= alpha < .800 only for
    # tentative conclusions; below .667, unreliable.
    assert stats.alpha_band(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.1, "poor"),
        (0.4999, "poor"),
        (0.5, "moderate"),
        (0.7499, "moderate"),
        (0.75, "good"),
        (0.8999, "good"),
        (0.9, "excellent"),
        (1.0, "excellent"),
        (None, None),
    ],
)
def test_icc_band_follows_koo_and_li_2016(value: float | None, band: str | None) -> None:
    # Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass
    # correlation coefficients for reliability research. Journal of Chiropractic Medicine,
    # 15(2), 155-163: below .5 poor, .5 to .75 moderate, .75 to .9 good, above .9 excellent.
    assert stats.icc_band(value) == band


def test_the_shrout_fleiss_estimates_fall_in_the_expected_koo_li_bands() -> None:
    # Shrout & Fleiss (1979) estimates read with Koo & Li (2016).
    result = stats.icc(SHROUT_FLEISS_TABLE_2)
    assert result is not None
    assert {name: stats.icc_band(value) for name, value in result.items()} == {
        "ICC1": "poor",
        "ICC2": "poor",
        "ICC3": "moderate",
        "ICC1k": "poor",
        "ICC2k": "moderate",
        "ICC3k": "excellent",
    }


# --- Leniency: the additive least-squares model ---------------------------------------------


def ratings_frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["candidate", "interviewer", "competency", "rating"])


def complete_design(seed: int) -> pd.DataFrame:
    """Every interviewer rates every candidate on every competency, 1-5 points."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"cand{c}", f"int{i}", f"comp{k}", float(rng.integers(1, 6)))
        for c in range(5)
        for i in range(3)
        for k in range(4)
    ]
    return ratings_frame(rows)


def fitted(effects: stats.Effects, ratings: pd.DataFrame) -> np.ndarray:
    return (
        effects.candidate.loc[ratings["candidate"]].to_numpy()
        + effects.interviewer.loc[ratings["interviewer"]].to_numpy()
        + effects.competency.loc[ratings["competency"]].to_numpy()
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_leniency_on_a_balanced_design_is_the_marginal_mean_deviations(seed: int) -> None:
    # Textbook additive (main effects, no interaction) ANOVA of a complete balanced layout:
    # with effects constrained to sum to zero, the least-squares estimates are the marginal
    # means' deviations from the grand mean (e.g. Montgomery, Design and Analysis of
    # Experiments, the randomized complete block / two-factor model without interaction).
    # Here candidate effects keep the grand mean, since only interviewer and competency
    # effects are constrained: candidate effect = candidate mean.
    ratings = complete_design(seed)
    grand = ratings["rating"].mean()
    effects = stats.leniency(ratings)
    candidate_means = ratings.groupby("candidate")["rating"].mean()
    interviewer_means = ratings.groupby("interviewer")["rating"].mean()
    competency_means = ratings.groupby("competency")["rating"].mean()
    pd.testing.assert_series_equal(
        effects.candidate, candidate_means, check_names=False, atol=1e-12, rtol=0
    )
    pd.testing.assert_series_equal(
        effects.interviewer, interviewer_means - grand, check_names=False, atol=1e-12, rtol=0
    )
    pd.testing.assert_series_equal(
        effects.competency, competency_means - grand, check_names=False, atol=1e-12, rtol=0
    )


def unbalanced_design() -> pd.DataFrame:
    """A connected but unbalanced design: panels of 2-3 interviewers, gaps in competencies."""
    rng = np.random.default_rng(11)
    panels = {
        "cand0": ("int0", "int1"),
        "cand1": ("int1", "int2", "int3"),
        "cand2": ("int2", "int3"),
        "cand3": ("int3", "int0"),
        "cand4": ("int0", "int2"),
        "cand5": ("int1",),
    }
    rows = []
    for candidate, panel in panels.items():
        for interviewer in panel:
            for k in range(4):
                if rng.random() < 0.25:  # an interviewer skipped this competency
                    continue
                rows.append((candidate, interviewer, f"comp{k}", float(rng.integers(1, 6))))
    return ratings_frame(rows)


def full_dummy_lstsq(ratings: pd.DataFrame) -> tuple[np.ndarray, pd.Series, pd.Series, pd.Series]:
    """An independent solve: least squares on a full (rank-deficient) dummy design matrix."""
    dummies = [
        pd.get_dummies(ratings[column], dtype=float)
        for column in ("candidate", "interviewer", "competency")
    ]
    design = np.hstack([d.to_numpy() for d in dummies])
    coef = np.linalg.lstsq(design, ratings["rating"].to_numpy(dtype=float), rcond=None)[0]
    sizes = np.cumsum([0] + [d.shape[1] for d in dummies])
    c, i, k = (
        pd.Series(coef[a:b], index=d.columns)
        for a, b, d in zip(sizes[:-1], sizes[1:], dummies, strict=True)
    )
    return design @ coef, c, i, k


def test_leniency_on_an_unbalanced_design_matches_a_dummy_matrix_lstsq() -> None:
    # Least squares has unique fitted values whatever the parametrisation (the projection of
    # y onto the design's column space); in a connected design, interviewer and competency
    # contrasts are estimable, so centring them pins every effect down.
    ratings = unbalanced_design()
    counts = ratings.groupby(["candidate", "interviewer"]).size()
    assert counts.nunique() > 1  # unbalanced
    effects = stats.leniency(ratings)
    reference_fit, c, i, k = full_dummy_lstsq(ratings)
    np.testing.assert_allclose(fitted(effects, ratings), reference_fit, atol=1e-9, rtol=0)
    assert effects.interviewer.sum() == pytest.approx(0.0, abs=1e-12)
    assert effects.competency.sum() == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(effects.interviewer.loc[i.index], i - i.mean(), atol=1e-9)
    np.testing.assert_allclose(effects.competency.loc[k.index], k - k.mean(), atol=1e-9)
    np.testing.assert_allclose(effects.candidate.loc[c.index], c + i.mean() + k.mean(), atol=1e-9)


def lenient_interviewer_design(noise: float) -> tuple[pd.DataFrame, dict[str, float]]:
    """True scores + competency offsets, with int0 giving +1 point on everything it rates."""
    rng = np.random.default_rng(5)
    true_scores = {f"cand{c}": value for c, value in enumerate((2.0, 3.5, 3.0, 4.0, 2.5, 3.0))}
    competency_offsets = {"comp0": 0.5, "comp1": 0.0, "comp2": -0.5}
    leniency = {"int0": 1.0, "int1": 0.0, "int2": 0.0, "int3": 0.0}
    rows = []
    for c, (candidate, score) in enumerate(true_scores.items()):
        for interviewer in (f"int{c % 4}", f"int{(c + 1) % 4}"):
            for competency, offset in competency_offsets.items():
                rating = score + offset + leniency[interviewer] + noise * rng.normal()
                rows.append((candidate, interviewer, competency, rating))
    return ratings_frame(rows), true_scores


@pytest.mark.parametrize(("noise", "tolerance"), [(0.0, 1e-9), (0.1, 0.15)])
def test_leniency_recovers_a_lenient_interviewer(noise: float, tolerance: float) -> None:
    # Constructed data with a known answer: rating = true score + competency offset, plus 1
    # from int0 on everything it rates. The additive model must attribute that point to
    # int0, not to the candidates int0 happened to see.
    ratings, true_scores = lenient_interviewer_design(noise)
    effects = stats.leniency(ratings)
    others = effects.interviewer.drop("int0")
    assert effects.interviewer["int0"] - others.mean() == pytest.approx(1.0, abs=tolerance)
    assert others.max() - others.min() == pytest.approx(0.0, abs=2 * tolerance)
    # Candidate effects are the true scores up to one common shift (the mean leniency,
    # 1/4 here): the candidates int0 saw are not lifted relative to the others.
    shift = effects.candidate - pd.Series(true_scores)
    assert shift.max() - shift.min() == pytest.approx(0.0, abs=2 * tolerance)
    assert shift.mean() == pytest.approx(0.25, abs=tolerance)
    # Raw means, by contrast, do carry the lenient interviewer's point.
    raw = ratings.groupby("candidate")["rating"].mean() - pd.Series(true_scores)
    seen_by_int0 = ratings.loc[ratings["interviewer"] == "int0", "candidate"].unique()
    assert raw[seen_by_int0].mean() - raw.drop(seen_by_int0).mean() > 0.4

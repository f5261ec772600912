"""The demo's interview loops: candidates, interviews and scorecards in every state.

Some evidence deliberately carries the rubrics' anti-pattern cues ("swim lanes",
"waiting for sign-off", "over the wall") so flags have something to find.
Hours are relative to when the demo is loaded: negative is in the past.
"""

from __future__ import annotations

from typing import Any

# (interviewer, focus or None for all, hours from now, scorecard or None)
# scorecard: (status, {competency: (rating, evidence)}, [(anti-pattern, evidence)],
#             recommendation, takeaways)
Loop = dict[str, Any]

LOOPS: list[Loop] = [
    {
        "name": "Alex Moreno",
        "email": "alex.moreno@example.org",
        "rubric": "product-manager",
        "stage": "early-stage",
        "interviews": [
            (
                "priya@example.com",
                ["high-agency", "comfort-with-ambiguity"],
                -50,
                (
                    "submitted",
                    {
                        "high-agency": (
                            4,
                            "Noticed churn in the export flow nobody owned, pulled the data "
                            "on a weekend and shipped a fix with one engineer in five days.",
                        ),
                        "comfort-with-ambiguity": (
                            4,
                            "Given 'figure out support automation' with no spec, "
                            "wrote a one-page hypothesis and ran a test in week one.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Acts first, informs after; exactly the owner we need.",
                ),
            ),
            (
                "marcus@example.com",
                ["decisiveness", "bias-to-shipping"],
                -48,
                (
                    "submitted",
                    {
                        "decisiveness": (
                            3,
                            "When eng and research split on latency vs quality, set a "
                            "two-week experiment and made the call on the data.",
                        ),
                        "bias-to-shipping": (
                            4,
                            "Shipped a research preview behind a flag rather than "
                            "waiting for a perfect launch; rolled back one part calmly.",
                        ),
                    },
                    [],
                    "yes",
                    "Decides with incomplete information and says so.",
                ),
            ),
            (
                "lena@example.com",
                ["leading-through-influence", "high-eq"],
                -47,
                (
                    "submitted",
                    {
                        "leading-through-influence": (
                            3,
                            "Co-wrote evals with the research team and changed "
                            "their priority with user transcripts, not authority.",
                        ),
                        "high-eq": (
                            3,
                            "Described a tense design review and how she rebuilt trust.",
                        ),
                    },
                    [],
                    "yes",
                    "Researchers would follow her.",
                ),
            ),
        ],
    },
    {
        "name": "Jordan Blake",
        "email": "jordan.blake@example.org",
        "rubric": "product-manager",
        "stage": None,
        "interviews": [
            (
                "priya@example.com",
                ["high-agency", "comfort-with-ambiguity"],
                -30,
                (
                    "submitted",
                    {
                        "high-agency": (
                            2,
                            "Every example was an assigned project; raised the onboarding "
                            "problem in a ticket and waited for it to be prioritised.",
                        ),
                        "comfort-with-ambiguity": (
                            1,
                            "Said they need clear swim lanes and a clearly "
                            "defined scope before starting anything.",
                        ),
                    },
                    [
                        (
                            "needs-swim-lanes",
                            "Asked twice who would define their swim lanes and said they "
                            "do their best work with a clearly defined scope.",
                        )
                    ],
                    "no",
                    "Would struggle without structure; better in a larger PM org.",
                ),
            ),
            (
                "marcus@example.com",
                ["decisiveness", "bias-to-shipping"],
                -29,
                (
                    "submitted",
                    {
                        "decisiveness": (
                            2,
                            "Waited for consensus for three weeks on a pricing change.",
                        ),
                        "bias-to-shipping": (
                            1,
                            "Held the launch waiting for sign-off from the VP, twice.",
                        ),
                    },
                    [
                        (
                            "waits-for-permission",
                            "Held the launch waiting for sign-off from the VP even "
                            "when the team was ready.",
                        )
                    ],
                    "strong_no",
                    "Blocks on review; the opposite of our operating model.",
                ),
            ),
            (
                "june@example.com",
                ["leading-through-influence", "high-eq"],
                -28,
                (
                    "submitted",
                    {
                        "leading-through-influence": (
                            4,
                            "Turned around a hostile infra team with a shared "
                            "metric and weekly demos.",
                        ),
                        "high-eq": (
                            4,
                            "Read the room well in the role-play, named the tension kindly.",
                        ),
                    },
                    [],
                    "yes",
                    "Great with people; I can't see the agency concerns from my side.",
                ),
            ),
        ],
    },
    {
        "name": "Sam Okoye",
        "email": "sam.okoye@example.org",
        "rubric": "product-manager",
        "stage": "growth-stage",
        "interviews": [
            (
                "priya@example.com",
                ["high-agency", "decisiveness"],
                -20,
                (
                    "submitted",
                    {
                        "high-agency": (
                            3,
                            "Found a billing bug through support tickets and drove the fix.",
                        ),
                        "decisiveness": (
                            2,
                            "Described making all the calls on the last team; engineers "
                            "were told what to build. Felt like a CEO of product.",
                        ),
                    },
                    [
                        (
                            "ceo-of-product",
                            "Made all the calls on the last team and overrode the tech "
                            "lead on architecture.",
                        )
                    ],
                    "no",
                    "Decisive but leaves no room.",
                ),
            ),
            (
                "tomas@example.com",
                ["high-eq", "leading-through-influence"],
                -19,
                (
                    "draft",
                    {
                        "high-eq": (
                            3,
                            "Warm with design; still thinking about the research example.",
                        ),
                    },
                    [],
                    None,
                    "",
                ),
            ),
            ("lena@example.com", ["leading-through-influence", "bias-to-shipping"], -60, None),
        ],
    },
    {
        "name": "Riley Chen",
        "email": "riley.chen@example.org",
        "rubric": "product-engineer",
        "stage": "early-stage",
        "interviews": [
            (
                "marcus@example.com",
                ["moves-without-specs", "execution-speed"],
                -10,
                (
                    "submitted",
                    {
                        "moves-without-specs": (
                            4,
                            "Built a working prototype from a two-line brief in the "
                            "pairing session and asked users, not us, what was off.",
                        ),
                        "execution-speed": (
                            4,
                            "Cut scope twice to ship the first slice in the hour.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Product-minded to the bone.",
                ),
            ),
            (
                "june@example.com",
                ["user-experience-opinions", "product-tradeoffs"],
                -9,
                (
                    "submitted",
                    {
                        "user-experience-opinions": (
                            3,
                            "Strong view on empty states, backed by examples.",
                        ),
                        "product-tradeoffs": (
                            3,
                            "Traded accuracy for latency in search and explained why.",
                        ),
                    },
                    [],
                    "yes",
                    "Good taste; will grow into bigger trade-offs.",
                ),
            ),
            ("tomas@example.com", ["user-experience-opinions"], 30, None),
        ],
    },
    {
        "name": "Morgan Lee",
        "email": "morgan.lee@example.org",
        "rubric": "product-engineer",
        "stage": None,
        "interviews": [
            (
                "marcus@example.com",
                ["moves-without-specs", "proactive-problem-finding"],
                -26,
                (
                    "submitted",
                    {
                        "moves-without-specs": (
                            1,
                            "Needs a spec before writing code: asked for acceptance "
                            "criteria and waited for designs in the exercise.",
                        ),
                        "proactive-problem-finding": (
                            2,
                            "Said 'not my job' about a flaky deploy step.",
                        ),
                    },
                    [
                        (
                            "needs-detailed-specs",
                            "Asked for acceptance criteria before touching the "
                            "keyboard, then waited for designs.",
                        )
                    ],
                    "no",
                    "Solid coder, wants a ticket queue.",
                ),
            ),
            (
                "june@example.com",
                ["execution-speed", "product-tradeoffs"],
                -25,
                (
                    "submitted",
                    {
                        "execution-speed": (
                            2,
                            "Spent the hour on an over engineered plugin system.",
                        ),
                        "product-tradeoffs": (
                            2,
                            "Chose the perfect before shipping option every time.",
                        ),
                    },
                    [
                        (
                            "polish-over-shipping",
                            "Gold plating: an over engineered plugin system for a one-off feature.",
                        )
                    ],
                    "no",
                    "Polish over shipping.",
                ),
            ),
        ],
    },
    {
        "name": "Taylor Brooks",
        "email": "taylor.brooks@example.org",
        "rubric": "product-engineer",
        "stage": "growth-stage",
        "interviews": [
            ("marcus@example.com", None, -4, None),
            (
                "june@example.com",
                ["execution-speed", "works-with-research"],
                -2,
                (
                    "draft",
                    {
                        "execution-speed": (3, "Quick; need to write up the research part."),
                    },
                    [],
                    None,
                    "",
                ),
            ),
        ],
    },
    {
        "name": "Dana Whitfield",
        "email": "dana.whitfield@example.org",
        "rubric": "research-engineer",
        "stage": "large-company-adopting-ai",
        "interviews": [
            (
                "lena@example.com",
                ["builds-evals", "fine-tunes-for-use-case"],
                -40,
                (
                    "submitted",
                    {
                        "builds-evals": (
                            4,
                            "Built an eval set from 300 real support tickets before "
                            "touching the model; showed how it caught a regression.",
                        ),
                        "fine-tunes-for-use-case": (
                            3,
                            "Fine-tuned a small model for tagging and compared "
                            "it honestly against prompting.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Exactly the embedded researcher profile.",
                ),
            ),
            (
                "priya@example.com",
                ["teammate-not-vendor", "ships-and-iterates"],
                -39,
                (
                    "submitted",
                    {
                        "teammate-not-vendor": (
                            4,
                            "Sat with the PM and designer weekly; changed the product "
                            "spec when the eval showed users wanted shorter answers.",
                        ),
                        "ships-and-iterates": (
                            3,
                            "Shipped a v0 model behind a flag and iterated twice.",
                        ),
                    },
                    [],
                    "yes",
                    "A teammate, not a vendor.",
                ),
            ),
            (
                "marcus@example.com",
                ["cost-speed-accuracy-tradeoffs", "data-from-product-usage"],
                -38,
                (
                    "submitted",
                    {
                        "cost-speed-accuracy-tradeoffs": (
                            2,
                            "Optimised accuracy only; had no view of cost.",
                        ),
                        "data-from-product-usage": (
                            3,
                            "Proposed logging thumbs-down events as training data.",
                        ),
                    },
                    [],
                    "yes",
                    "Needs coaching on cost, otherwise strong.",
                ),
            ),
        ],
    },
    {
        "name": "Chris Navarro",
        "email": "chris.navarro@example.org",
        "rubric": "research-engineer",
        "stage": None,
        "interviews": [
            (
                "lena@example.com",
                ["builds-evals", "teammate-not-vendor"],
                -70,
                (
                    "submitted",
                    {
                        "builds-evals": (
                            2,
                            "Cited public benchmarks only; chasing SOTA on the leaderboard.",
                        ),
                        "teammate-not-vendor": (
                            1,
                            "Handed off the model to the product team and moved on: "
                            "'they are my customer'. Threw it over the wall.",
                        ),
                    },
                    [
                        (
                            "research-as-vendor",
                            "Handed off the model and left; called the product team "
                            "a customer. Over the wall.",
                        ),
                        (
                            "benchmark-chasing",
                            "Talked only about the leaderboard and public benchmarks.",
                        ),
                    ],
                    "strong_no",
                    "A vendor, not a teammate.",
                ),
            ),
            ("priya@example.com", ["ships-and-iterates"], -69, None),
        ],
    },
    {
        "name": "Avery Kim",
        "email": "avery.kim@example.org",
        "rubric": "product-manager",
        "stage": "growth-stage",
        "interviews": [
            ("priya@example.com", ["high-agency", "bias-to-shipping"], 20, None),
            ("lena@example.com", ["leading-through-influence"], 26, None),
        ],
    },
    {
        "name": "Quinn Foster",
        "email": "quinn.foster@example.org",
        "rubric": "research-engineer",
        "stage": "early-stage",
        "interviews": [
            ("lena@example.com", ["builds-evals", "data-from-product-usage"], 48, None),
            ("marcus@example.com", ["cost-speed-accuracy-tradeoffs"], 50, None),
        ],
    },
    {
        "name": "Harper Singh",
        "email": "harper.singh@example.org",
        "rubric": "product-engineer",
        "stage": None,
        "status": "hired",
        "interviews": [
            (
                "marcus@example.com",
                ["moves-without-specs", "execution-speed"],
                -400,
                (
                    "submitted",
                    {
                        "moves-without-specs": (
                            3,
                            "Started from a sketch and shipped a usable slice.",
                        ),
                        "execution-speed": (3, "Fast, with tests."),
                    },
                    [],
                    "yes",
                    "Hire.",
                ),
            ),
            (
                "tomas@example.com",
                ["user-experience-opinions"],
                -399,
                (
                    "submitted",
                    {
                        "user-experience-opinions": (
                            4,
                            "Redesigned our onboarding on the whiteboard with sharp reasons.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Great taste.",
                ),
            ),
        ],
    },
    {
        "name": "Emerson Hale",
        "email": "emerson.hale@example.org",
        "rubric": "product-manager",
        "stage": None,
        "status": "withdrawn",
        "interviews": [
            (
                "june@example.com",
                ["decisiveness", "high-eq"],
                -300,
                (
                    "submitted",
                    {
                        "decisiveness": (3, "Made a clear call on a sunset with partial data."),
                        "high-eq": (3, "Handled pushback in the role-play with grace."),
                    },
                    [],
                    "yes",
                    "Withdrew for another offer.",
                ),
            ),
        ],
    },
]

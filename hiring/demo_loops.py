"""The demo's interview loops: candidates, interviews and scorecards in every state.

Some evidence deliberately carries the rubrics' anti-pattern cues ("swim lanes",
"waiting for sign-off", "CEO of product", "over the wall") so flags have something to find,
and some panels disagree (a split) with evidence that shows why. Product-manager loops
have the same three interviewers rate every competency, as in the hiring history, which
keeps that rubric's ratings fully crossed. Hours are relative to when the demo is loaded:
negative is in the past.
"""

from __future__ import annotations

from typing import Any

# A loop: name, email, rubric, stage, optional status (default active), interviews, and
# optional written_after (hours from each interview to its scorecard, default 2).
# interview: (interviewer, focus or None for all, hours from now, scorecard or None)
# scorecard: (status, {competency: (rating, evidence)}, [(anti-pattern, evidence)],
#             recommendation, takeaways)
Loop = dict[str, Any]

PRODUCT_MANAGERS: list[Loop] = [
    {
        "name": "Alex Moreno",
        "email": "alex.moreno@example.org",
        "rubric": "product-manager",
        "stage": "early-stage",
        "interviews": [
            (
                "priya@example.com",
                None,
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
                        "leading-through-influence": (
                            3,
                            "Co-wrote evals with the research team and changed their "
                            "priority with user transcripts, not authority.",
                        ),
                        "high-eq": (
                            3,
                            "Described a tense design review and the one-to-one that rebuilt "
                            "trust with the designer.",
                        ),
                        "decisiveness": (
                            4,
                            "Eng and research had argued latency vs quality for two weeks; "
                            "set a one-week experiment, agreed the metric up front and made "
                            "the call on the data. Left the model choice to the researcher.",
                        ),
                        "bias-to-shipping": (
                            4,
                            "Shipped a research preview behind a flag rather than waiting "
                            "for a perfect launch; rolled back one part calmly.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Acts first, informs after; exactly the owner we need.",
                ),
            ),
            (
                "marcus@example.com",
                None,
                -48,
                (
                    "submitted",
                    {
                        "high-agency": (
                            3,
                            "The export fix is real; the other examples were inside their "
                            "own roadmap.",
                        ),
                        "comfort-with-ambiguity": (
                            3,
                            "Framed the support-automation mandate quickly; less sure how "
                            "they handled the pivot when the model changed.",
                        ),
                        "leading-through-influence": (
                            3,
                            "Brought transcripts to the researchers and got a shared eval; "
                            "solid, not yet with a senior skeptic.",
                        ),
                        "high-eq": (
                            3,
                            "Listened and built on my follow-ups; named what the designer "
                            "cared about.",
                        ),
                        "decisiveness": (
                            2,
                            "On the platform rewrite, overrode the tech lead on the "
                            "architecture and told engineers what to build: 'someone has to "
                            "own the what'. Could not name a decision left to the team.",
                        ),
                        "bias-to-shipping": (
                            3,
                            "Ships often behind flags; the rollback story was clear.",
                        ),
                    },
                    [
                        (
                            "ceo-of-product",
                            "Overrode the tech lead on the architecture of the platform "
                            "rewrite and told engineers what to build.",
                        )
                    ],
                    "yes",
                    "Strong owner, but I probed decisions left to the team and found none. "
                    "Discuss in the debrief.",
                ),
            ),
            (
                "june@example.com",
                None,
                -47,
                (
                    "submitted",
                    {
                        "high-agency": (
                            4,
                            "Started a pricing test nobody had asked for and had results "
                            "within two weeks.",
                        ),
                        "comfort-with-ambiguity": (
                            4,
                            "Talked about the model changing mid-quarter with energy; "
                            "re-scoped the pilot in a day.",
                        ),
                        "leading-through-influence": (
                            4,
                            "Got the infra team to adopt a shared latency metric through "
                            "weekly demos.",
                        ),
                        "high-eq": (
                            4,
                            "Read the room well in the role-play, named the tension kindly.",
                        ),
                        "decisiveness": (
                            3,
                            "Made a clear call on the pricing test with partial data and set "
                            "a date to revisit it; I did not probe what was left to the team.",
                        ),
                        "bias-to-shipping": (
                            4,
                            "Weekly releases and a preview programme; removed the launch "
                            "review for low-risk changes.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Would hire tomorrow; engineers would love working with them.",
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
                None,
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
                        "leading-through-influence": (
                            3,
                            "Agreed a ranking eval with a research lead and stuck to it, "
                            "though the research side drove the decision.",
                        ),
                        "high-eq": (
                            3,
                            "Specific, private feedback to a designer, and it landed.",
                        ),
                        "decisiveness": (
                            2,
                            "Made calls only once the data removed the doubt; the team "
                            "idled for weeks on the onboarding question.",
                        ),
                        "bias-to-shipping": (
                            2,
                            "Ships in large quarterly releases; called replanning painful.",
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
                None,
                -29,
                (
                    "submitted",
                    {
                        "high-agency": (
                            1,
                            "Could not name a problem they fixed unasked; 'leadership never "
                            "gave us the go-ahead'.",
                        ),
                        "comfort-with-ambiguity": (
                            2,
                            "Proposed a six-week discovery phase before building anything.",
                        ),
                        "leading-through-influence": (
                            2,
                            "I asked about the infra turnaround: the priority changed when "
                            "the VP stepped in ('I got the VP to tell them'); Jordan ran the "
                            "demos afterwards. Could not say what the infra team cared about.",
                        ),
                        "high-eq": (
                            3,
                            "Warm and attentive in the conversation; adjusted when I redirected.",
                        ),
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
                None,
                -28,
                (
                    "submitted",
                    {
                        "high-agency": (
                            2,
                            "Examples were assigned work; did chase one bug across teams.",
                        ),
                        "comfort-with-ambiguity": (
                            2,
                            "Got going once their manager wrote the problem statement.",
                        ),
                        "leading-through-influence": (
                            4,
                            "Turned around a hostile infra team with a shared "
                            "metric and weekly demos.",
                        ),
                        "high-eq": (
                            4,
                            "Read the room well in the role-play, named the tension kindly.",
                        ),
                        "decisiveness": (
                            3,
                            "Called the pricing change once the test was in; clear about "
                            "what was still unknown.",
                        ),
                        "bias-to-shipping": (
                            2,
                            "Has shipped, but each launch waited for the full scope.",
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
            ("marcus@example.com", None, -60, None),
            (
                "priya@example.com",
                None,
                -20,
                (
                    "draft",
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
                    [],
                    None,
                    "",
                ),
            ),
            ("june@example.com", None, 6, None),
        ],
    },
    {
        "name": "Avery Kim",
        "email": "avery.kim@example.org",
        "rubric": "product-manager",
        "stage": "growth-stage",
        "interviews": [
            ("priya@example.com", None, 20, None),
            ("june@example.com", None, 26, None),
            ("marcus@example.com", None, 44, None),
        ],
    },
]

PRODUCT_ENGINEERS: list[Loop] = [
    {
        "name": "Riley Chen",
        "email": "riley.chen@example.org",
        "rubric": "product-engineer",
        "stage": "early-stage",
        "interviews": [
            (
                "marcus@example.com",
                ["moves-without-specs", "execution-speed", "proactive-problem-finding"],
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
                        "proactive-problem-finding": (
                            3,
                            "Found a silent retry loop in the upload logs of their current "
                            "product and fixed it the same week.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Product-minded to the bone.",
                ),
            ),
            (
                "june@example.com",
                [
                    "user-experience-opinions",
                    "product-tradeoffs",
                    "moves-without-specs",
                    "execution-speed",
                ],
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
                        "moves-without-specs": (
                            4,
                            "Turned 'customers want exports' into a CSV with a schedule in a "
                            "day, assumptions written down first.",
                        ),
                        "execution-speed": (
                            4,
                            "Idea to users in two days behind a flag, twice last month.",
                        ),
                    },
                    [],
                    "yes",
                    "Good taste; will grow into bigger trade-offs.",
                ),
            ),
            (
                "tomas@example.com",
                ["user-experience-opinions", "product-tradeoffs", "works-with-research"],
                30,
                None,
            ),
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
                ["proactive-problem-finding", "moves-without-specs", "execution-speed"],
                -26,
                (
                    "submitted",
                    {
                        "proactive-problem-finding": (
                            2,
                            "Said 'not my job' about a flaky deploy step.",
                        ),
                        "moves-without-specs": (
                            1,
                            "Needs a spec before writing code: asked for acceptance "
                            "criteria and waited for designs in the exercise.",
                        ),
                        "execution-speed": (
                            2,
                            "Last release took six weeks; blamed review but had not tried "
                            "to shorten it.",
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
                ["product-tradeoffs", "moves-without-specs", "execution-speed"],
                -25,
                (
                    "submitted",
                    {
                        "product-tradeoffs": (
                            2,
                            "Chose the perfect before shipping option every time: held the "
                            "settings release a week for empty states and error copy.",
                        ),
                        "moves-without-specs": (
                            2,
                            "Worked from the brief but stopped at each gap to ask the PM.",
                        ),
                        "execution-speed": (
                            2,
                            "Spent the hour on an over engineered plugin system.",
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
            (
                "tomas@example.com",
                ["user-experience-opinions", "product-tradeoffs"],
                -24,
                (
                    "submitted",
                    {
                        "user-experience-opinions": (
                            3,
                            "Sharp critique of our settings page: named where new admins get "
                            "lost, and had watched three users hit it.",
                        ),
                        "product-tradeoffs": (
                            4,
                            "Held the settings release a week for empty states and error "
                            "copy because first-run users churn there: 12% of new admins "
                            "dropped on the old screen. The delay was a choice, with numbers.",
                        ),
                    },
                    [],
                    "yes",
                    "The polish others saw was a user-grounded call; I'd hire for the taste.",
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
            ("kofi@example.com", ["user-experience-opinions", "works-with-research"], 20, None),
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
                ["product-tradeoffs", "moves-without-specs", "execution-speed"],
                -400,
                (
                    "submitted",
                    {
                        "product-tradeoffs": (
                            3,
                            "Shipped search without typo tolerance to launch a week sooner, "
                            "and told support which queries would fail.",
                        ),
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
                ["user-experience-opinions", "product-tradeoffs"],
                -399,
                (
                    "submitted",
                    {
                        "user-experience-opinions": (
                            4,
                            "Redesigned our onboarding on the whiteboard with sharp reasons.",
                        ),
                        "product-tradeoffs": (
                            4,
                            "Weighed a 2% edge case against a week's delay by who the 2% "
                            "were, and shipped the workaround.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Great taste.",
                ),
            ),
        ],
    },
]

RESEARCH_ENGINEERS: list[Loop] = [
    {
        "name": "Dana Whitfield",
        "email": "dana.whitfield@example.org",
        "rubric": "research-engineer",
        "stage": "large-company-adopting-ai",
        "interviews": [
            (
                "lena@example.com",
                ["builds-evals", "fine-tunes-for-use-case", "data-from-product-usage"],
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
                        "data-from-product-usage": (
                            3,
                            "Turned support agents' corrections into 1,200 labelled examples "
                            "after checking them against expert labels.",
                        ),
                    },
                    [],
                    "strong_yes",
                    "Exactly the embedded researcher profile.",
                ),
            ),
            (
                "priya@example.com",
                ["builds-evals", "teammate-not-vendor", "ships-and-iterates"],
                -39,
                (
                    "submitted",
                    {
                        "builds-evals": (
                            4,
                            "The PM could read her eval and added cases to it; it decided "
                            "which model shipped.",
                        ),
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
                ["data-from-product-usage", "cost-speed-accuracy-tradeoffs", "ships-and-iterates"],
                -38,
                (
                    "submitted",
                    {
                        "data-from-product-usage": (
                            3,
                            "Proposed logging thumbs-down events as training data.",
                        ),
                        "cost-speed-accuracy-tradeoffs": (
                            2,
                            "Optimised accuracy only; had no view of cost.",
                        ),
                        "ships-and-iterates": (
                            3,
                            "Staged rollout to 5% with a rollback path; iterated on the "
                            "failures it surfaced.",
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
            ("priya@example.com", ["teammate-not-vendor", "ships-and-iterates"], -69, None),
        ],
    },
    {
        "name": "Quinn Foster",
        "email": "quinn.foster@example.org",
        "rubric": "research-engineer",
        "stage": "early-stage",
        "interviews": [
            ("lena@example.com", ["builds-evals", "data-from-product-usage"], 48, None),
            (
                "marcus@example.com",
                ["cost-speed-accuracy-tradeoffs", "ships-and-iterates"],
                50,
                None,
            ),
            ("noor@example.com", ["builds-evals", "fine-tunes-for-use-case"], 52, None),
        ],
    },
    {
        "name": "Emerson Hale",
        "email": "emerson.hale@example.org",
        "rubric": "research-engineer",
        "stage": None,
        "status": "withdrawn",
        "interviews": [
            (
                "noor@example.com",
                ["builds-evals", "fine-tunes-for-use-case"],
                -302,
                (
                    "submitted",
                    {
                        "builds-evals": (
                            3,
                            "Built a 200-case eval from real queries, with a rubric the PM "
                            "could read.",
                        ),
                        "fine-tunes-for-use-case": (
                            3,
                            "Beat retrieval alone by fine-tuning on 4,000 tickets; measured "
                            "on the product eval.",
                        ),
                    },
                    [],
                    "yes",
                    "Solid; would have been a good second researcher.",
                ),
            ),
            (
                "june@example.com",
                ["teammate-not-vendor", "ships-and-iterates"],
                -300,
                (
                    "submitted",
                    {
                        "teammate-not-vendor": (
                            4,
                            "Joined user sessions and changed the ranking objective after "
                            "watching people skip the top result.",
                        ),
                        "ships-and-iterates": (
                            3,
                            "Shipped a distilled model to 10% of traffic the week it beat "
                            "production.",
                        ),
                    },
                    [],
                    "yes",
                    "Withdrew for another offer.",
                ),
            ),
        ],
    },
]

LOOPS: list[Loop] = [*PRODUCT_MANAGERS, *PRODUCT_ENGINEERS, *RESEARCH_ENGINEERS]

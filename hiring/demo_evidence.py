"""The words of the demo history's scorecards: what candidates talked about, and what an
interviewer wrote for each rating of each competency (one verdict per scale point, low to
high).

A verdict is three observations separated by "; ", of which an interviewer writes two, so
that colleagues giving the same rating do not write the same words. It may name {days},
{pct} or {n}, filled with plausible numbers.
"""

from __future__ import annotations

from hiring.models import Recommendation

COMPANIES = (
    "a payments start-up",
    "a 40-person health-tech company",
    "a B2B analytics vendor",
    "a grocery-delivery marketplace",
    "a developer-tools company",
    "an insurance scale-up",
    "a travel-booking site",
    "a legal-tech start-up",
    "a language-learning app",
    "a logistics software company",
)

# What the candidate talked about, per rubric ({company} is one of their past employers).
STORIES = {
    "product-manager": (
        "the checkout redesign at {company}",
        "the support-automation pilot at {company}",
        "the pricing change at {company}",
        "the onboarding revamp at {company}",
        "the search-ranking launch at {company}",
        "the AI drafting assistant at {company}",
    ),
    "product-engineer": (
        "the CSV export at {company}",
        "the notifications rewrite at {company}",
        "the upload flow at {company}",
        "the AI summaries feature at {company}",
        "the onboarding checklist at {company}",
        "the admin dashboard at {company}",
    ),
    "research-engineer": (
        "the support-ticket classifier at {company}",
        "the answer-quality project at {company}",
        "the document-extraction model at {company}",
        "the search-ranking model at {company}",
        "the meeting-summary feature at {company}",
        "the fraud-detection model at {company}",
    ),
}

HEADLINES = {
    Recommendation.STRONG_YES: ("Would hire tomorrow.", "Clear hire for this team."),
    Recommendation.YES: ("Hire.", "Leaning hire."),
    Recommendation.NO: ("Not yet.", "Leaning no."),
    Recommendation.STRONG_NO: ("Clear no.", "Not for this team."),
}

VERDICTS = {
    # product-manager
    "high-agency": (
        "noticed the problem, reported it and waited; said 'leadership never gave us the "
        "go-ahead'; every other example was an assigned project",
        "spotted it but stopped at a ticket and a write-up; asked for approval before starting; "
        "could not say what happened next",
        "drove it to a shipped fix in {days} days though it was outside their remit; named who "
        "they pulled in; gave the result in numbers",
        "acted first and told people after; fixed it across two teams in {days} days (drop-off "
        "down {pct}%); said what they would do differently",
    ),
    "comfort-with-ambiguity": (
        "needed the goal and an owner defined before starting; called the vagueness a leadership "
        "failure; first step in the scenario was to ask for clearer direction",
        "got going only once their manager wrote the problem statement; proposed a six-week "
        "discovery phase first; nothing was tested for a month",
        "framed it themselves with a one-page hypothesis; chose a provisional metric; ran a first "
        "test within {days} days",
        "turned an open mandate into a shipped result; cut the unknowns down with a cheap "
        "prototype; changed course calmly when a new model landed",
    ),
    "leading-through-influence": (
        "got agreement by escalating ('I got the VP to tell them'); spoke of researchers as a "
        "team that delivers models on request; could not describe changing anyone's mind",
        "won the argument with persistence and a longer document; could not say what the "
        "researchers cared about; handed over requirements and waited",
        "learned what the researchers were optimising for; brought usage data and a prototype; "
        "reached a shared call",
        "turned the disagreement into a joint eval and let the results decide; a senior "
        "researcher changed course because of them; also told a time they changed their mind",
    ),
    "high-eq": (
        "described the engineers as obstacles; could not say how anyone else felt; talked over me "
        "twice",
        "answered with process (a RACI, a new weekly meeting); noticed the conflict only once it "
        "escalated; the feedback example was blunt, with no thought for how it landed",
        "named each person and what mattered to them; repaired it in a one-to-one; gave specific, "
        "private feedback and said how it went",
        "saw the tension before it surfaced; adapted to each function (data for engineers, evals "
        "for researchers); owned their part of the conflict unprompted",
    ),
    "decisiveness": (
        "could not name a decision they made; the team waited {days} days for consensus; in the "
        "scenario, scheduled another discussion",
        "decided fast, including calls the engineers were better placed to make; could not name a "
        "decision left to others; described the PM's job as 'owning the what'",
        "set a deadline and heard each side; made the call on incomplete data; left the model "
        "choice to the researcher and said why",
        "explained when they decide and when they do not; matched speed to reversibility; "
        "reversed a wrong call within a week without defensiveness",
    ),
    "bias-to-shipping": (
        "measured progress in reviewed documents; held the launch for the exec review; called the "
        "changed plan a failure",
        "shipped, but in quarterly releases gated on full scope; defended the roadmap as a "
        "commitment; looked for another approver in the scenario",
        "shipped a rougher version to {pct}% of users first; learned from it and iterated twice; "
        "kept review for the risky launch only",
        "showed a habit of previews and experiments; told a rollback calmly; removed a review "
        "step that slowed the team",
    ),
    # product-engineer
    "user-experience-opinions": (
        "had no view on how it felt to use ('that is the designer's call'); critique of our "
        "product was purely technical; built it as specified",
        "offered taste ('it is clunky') with no reference to users; raised the concern once, then "
        "built as specified; could not say what would change their mind",
        "named the moment of friction and who it hurt; argued for a UX change in their own work "
        "and got it in; said what evidence would change their mind",
        "watched five users before arguing; built a prototype to settle the argument; the change "
        "lifted completion by {pct}%",
    ),
    "proactive-problem-finding": (
        "every example started from a ticket; logs and feedback were someone else's job; in the "
        "scenario, said it was not their team's problem",
        "noticed a broken flow but only mentioned it in a channel; could not say what happened "
        "next; looks at metrics only when asked",
        "found an unassigned bug in the support queue; sized it before raising it; saw it through "
        "to a fix",
        "reads dashboards and support tickets weekly; named three problems found through those "
        "habits, one worth {pct}% of sign-ups; said what they chose to leave",
    ),
    "product-tradeoffs": (
        "escalated the scope question to the PM; argued only from code elegance; could not "
        "describe a scope decision of their own",
        "made the call but explained it in engineering terms only; gave no alternatives; did not "
        "ask who the affected users were",
        "cut scope themselves and weighed who was affected; told the team why; shipped {days} "
        "days sooner",
        "applied the same criteria (reversibility, user impact, cost of delay) across examples; "
        "told a trade-off they got wrong and corrected; explains trade-offs in terms a designer "
        "can act on",
    ),
    "moves-without-specs": (
        "asked for acceptance criteria and designs before writing code; sent the vague ticket "
        "back; answered the scenario with a list of questions for the PM",
        "worked from the brief but treated each gap as a blocker; built the literal request "
        "without checking what users needed; asked the PM for calls they could have made",
        "talked to two users and wrote down assumptions; made the open calls; shared a rough "
        "version in {days} days",
        "wrote the one-paragraph spec themselves; built something nobody had asked for that "
        "proved right; knew when to stop and ask",
    ),
    "execution-speed": (
        "could not describe a recent release; the last one took months to reach users; treats any "
        "rollback as a failure",
        "ships in large batches every few weeks; blamed code review for the delays; spent most of "
        "the scenario week on infrastructure",
        "ships small increments behind a flag within days; named what slowed the last launch; "
        "handled a rollback calmly",
        "deploys daily; fixed the flaky test suite that slowed the team; shipped a rough version "
        "on purpose with the follow-up planned",
    ),
    "works-with-research": (
        "treated the model as a black box; quality was 'the model team's issue'; did not know how "
        "quality was measured",
        "judged model quality by demos; worked with the researcher through tickets; fixed "
        "failures with prompt workarounds only",
        "checked quality against an eval set; fed {n} failing examples from real usage back to "
        "the researcher; proposed adding real failures to the eval",
        "co-owned the eval and the feedback loop with a researcher; changed product and model "
        "together; laid out options across cost, latency and quality",
    ),
    # research-engineer
    "builds-evals": (
        "spoke of quality only through public benchmarks and training loss; has not built an eval "
        "for a product problem; wanted a labelled dataset before starting",
        "built an eval from public data unlike real usage; could not say what decision it "
        "changed; proposed a large labelling project first",
        "built an eval from {n} real cases; scored answers with a rubric checked against human "
        "labels; let the eval choose what shipped",
        "made the eval a shared tool the PM and engineers add to; gates launches on the eval; "
        "checked the eval against user outcomes and caught it drifting",
    ),
    "fine-tunes-for-use-case": (
        "described fine-tuning in generic terms; had no data, baseline or result; 'just use the "
        "biggest model'",
        "fine-tuned but judged the result by reading a few outputs; no baseline; could not "
        "quantify the gain",
        "tried prompting and retrieval first; fine-tuned on {n} examples; showed a gain of {pct} "
        "points on the product eval",
        "maintains several task models; retrains as base models change; retired a fine-tune when "
        "a new base model made it unnecessary",
    ),
    "data-from-product-usage": (
        "worked only with datasets handed over; had never treated usage as a source; gave no "
        "thought to consent",
        "used click logs as if clicks meant correctness; never checked the signal; what the "
        "product logged was someone else's job",
        "turned user edits into eval data after checking they tracked quality; got a feedback "
        "control added; raised the privacy review themselves",
        "designed the loop from feedback button to labelled eval set; refreshes the eval set "
        "monthly; showed the model improving from the loop",
    ),
    "cost-speed-accuracy-tradeoffs": (
        "talked only about accuracy; had no cost or latency figures; would wait for better "
        "hardware",
        "knew cost mattered but left it to infrastructure; listed options with no way to choose; "
        "made one trade-off when forced",
        "gave figures (latency from six seconds to two with a smaller model); measured the "
        "quality cost on the product eval ({pct} points); tied the bar to the product need",
        "agreed cost and latency budgets with the PM up front; shipped routing between two models "
        "with a measured result; revisits the choice as prices change",
    ),
    "teammate-not-vendor": (
        "described the work as ending at the checkpoint hand-off; called the PM 'the customer'; "
        "saw planning meetings as a distraction",
        "took requirements and delivered a model; could not name a product decision they shaped; "
        "treated the user confusion as a design problem",
        "was there from problem selection; watched user sessions; changed approach after the "
        "designer's input",
        "tracked the product metric themselves; proposed a feature the new model made possible; "
        "the PM sought them out",
    ),
    "ships-and-iterates": (
        "held the model for months to beat the state of the art; never shipped short of their "
        "best; in the scenario, waited for the extra points",
        "shipped when someone else set the date; described a rollback as a failure; each release "
        "treated as final",
        "shipped the gain as soon as it beat production; had monitoring and a rollback path; "
        "iterated from usage",
        "ships small model updates weekly in staged rollouts; built the eval gate that makes "
        "weekly releases safe; told a rollback calmly",
    ),
}

"""One glossary of improvement words, in plain English: every page links its terms here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    word: str
    meaning: str


TERMS = (
    Term("pdsa", "PDSA cycle", "Plan, Do, Study, Act: try a small change, see what happens, learn from it, "
         "then decide to keep it, change it or drop it. Most improvements take several."),
    Term("driver-diagram", "Driver diagram", "A picture of how a project hopes to reach its aim: the big things "
         "that affect the aim (drivers) and the ideas to try for each."),
    Term("aim", "Aim", "What a project wants to improve, by how much and by when."),
    Term("change-idea", "Change idea", "Something the team will try, to see whether it makes things better."),
    Term("measure", "Measure", "Something counted again and again (every week, say) to see whether a change "
         "is helping."),
    Term("spc", "SPC chart", "Statistical process control chart: a line chart of a measure over time, with lines "
         "that show how much it usually varies, so real changes stand out from everyday ups and downs."),
    Term("run-chart", "Run chart", "A line chart of a measure over time with a middle line (the median), used to "
         "spot real change when there are few data points."),
    Term("process-limits", "Process limits", "The upper and lower lines on an SPC chart: almost all values fall "
         "between them while nothing has really changed."),
    Term("special-cause", "Special cause", "An unusual pattern on a chart (a point outside the limits, or a long "
         "run above or below the middle): something has really changed. Blue means better, orange means worse."),
    Term("common-cause", "Common cause", "The everyday ups and downs of a measure, shown in grey: nothing has "
         "really changed."),
    Term("assurance", "Assurance", "Whether a target will be met: every time, never, or only some of the time, "
         "judged from the process limits."),
    Term("big-i", "Big I involvement", "Service users and carers are full members of the project team and share "
         "decisions, not only asked for their views."),
    Term("co-production", "Co-production", "Staff and people who use services working as equals, from start to "
         "finish."),
    Term("open-badge", "Open Badge", "A digital badge anyone can check: it says who earned it, for what, and is "
         "signed so it cannot be faked."),
    Term("pulse", "Pulse", "A short, anonymous check on how energised and empowered people feel. Results are "
         "only shown for groups of five or more answers."),
)
BY_KEY = {term.key: term for term in TERMS}

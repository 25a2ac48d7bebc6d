"""Consultation on proposals: the answers of a round, which of them count, their aggregation by group,
consensus and the most contested items, and opinion groups as Polis finds them. Pure (numpy, scipy);
the store, the services and the interfaces hold rounds, people and comments.  -> docs/consult.md
"""

from reorg.consult.aggregate import Aggregate, aggregate, most_contested
from reorg.consult.answers import ABSTAIN, AGREE, DISAGREE, STANCES, WHOLE_PLAN, Answers, counted
from reorg.consult.groups import OpinionGroups, opinion_groups, vote_matrix
from reorg.consult.synthetic import planted_round

__all__ = [
    "ABSTAIN",
    "AGREE",
    "DISAGREE",
    "STANCES",
    "WHOLE_PLAN",
    "Aggregate",
    "Answers",
    "OpinionGroups",
    "aggregate",
    "counted",
    "most_contested",
    "opinion_groups",
    "planted_round",
    "vote_matrix",
]

"""Live sessions: one facilitator and a group of participants sharing a protocol, its clock and what the group sends, through one database."""

from tlkit.live.contributions import ContributionRefused
from tlkit.live.store import (Contribution, Facilitation, JoinRefused, LiveStore, NotAllowed,
                              Participant, SessionState, TooManyWrongCodes, live_store)

__all__ = ["Contribution", "ContributionRefused", "Facilitation", "JoinRefused", "LiveStore",
           "NotAllowed", "Participant", "SessionState", "TooManyWrongCodes", "live_store"]

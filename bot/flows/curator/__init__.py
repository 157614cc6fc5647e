"""The curator's flows: one module per part of the curator's work (invites, participants, pairs, reports, …)."""

"""Course views for the facilitator guide: agenda, objectives, notes, the protocol panel."""

"""What flows between the stages: one unit's figures, findings, how complete a merge is."""

"""Who may see and do what in placements (filled in with the views)."""

"""Projects service: improvement projects, teams, driver diagrams, PDSA cycles, measures and SPC."""

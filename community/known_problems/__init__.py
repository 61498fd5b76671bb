"""Known-problem status (issue 17): staff give a widely shared question a public
status (Investigating, Planned, Fixed, Won't fix) with a history of changes, and
everyone affected is told."""

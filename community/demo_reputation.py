"""Demo reputation and badges: a ledger from the demo's votes and acceptances, and topic experts.

The Q&A demo writes its rows in bulk around the services (see community/demo.py),
so no signal fired: this loader writes the matching ledger rows in bulk, adds a
body of well-voted answers for three expert members (gold in one product, silver
in a tag, bronze in another product), sets the totals, and runs the badge sync
without notices (nobody is emailed). Idempotent: if the ledger has rows, nothing
is written.
"""

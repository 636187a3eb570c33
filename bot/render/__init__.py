"""Pictures and files the bot sends: pure functions of plain data (no session, no Telegram), run off the
event loop in worker processes (bot/workers.py). Fonts are found by `typeset`."""

"""Services: the bot's decisions in plain async Python, with no Telegram imports."""

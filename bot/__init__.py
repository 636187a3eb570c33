"""PufaBot (普法助手): legal education for school staff and students, on Telegram."""

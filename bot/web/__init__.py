"""The admin dashboard served over HTTP (a Telegram Mini App): server.py, templates/, static/."""

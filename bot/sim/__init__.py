"""A simulated Telegram: the real Application talks to it instead of the Bot API.

`SimRequest` (a PTB `BaseRequest`) answers the bot's API calls from `World`, a small model of chats,
messages, inline keyboards, callback queries and polls, and records every call. `Simulator` turns what a
person does (send text, press a button, answer a poll) into real `Update` objects for the Application.
Used by `python -m bot console` and by the tests; nothing here touches the network.
"""

from bot.sim.simulator import SimChat, Simulator, SimUser
from bot.sim.world import ApiCall, SimMessage, World

__all__ = ["ApiCall", "SimChat", "SimMessage", "SimUser", "Simulator", "World"]

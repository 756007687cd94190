#!/usr/bin/env python3
"""Tic-tac-toe against the bot, over the Tulip HTTP API and long-poll.

Standard library only. A person types `/pytictactoe` in a topic; the bot
posts a 3x3 grid, plays O, and answers every X with its own move. The server
enforces the turn (`turn.enforce`) and refuses taken cells (`clickable_by`).

    python3 tictactoe_bot.py --server http://127.0.0.1:8080 --name py-ttt-bot

Give `--api-key KEY` for a real account, or let it log in through
`POST /api/v1/dev/login` (servers started with `--dev-login`).

Every game is kept with its message on the server as the bot's private
`bot_state` (sent with each widget change, read back with
`GET /messages/{id}/bot_state`), so a game survives a restart of this
process or of the server.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

COMMAND = "pytictactoe"
LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status} {body.get('code')}: {body.get('msg')}")
        self.status = status
        self.code = body.get("code")


class Api:
    def __init__(self, base, key=""):
        self.base = base.rstrip("/")
        self.key = key

    def call(self, method, path, body=None, query=None, timeout=120):
        url = f"{self.base}/api/v1{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.key:
            req.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            try:
                payload = json.loads(e.read())
            except ValueError:
                payload = {"code": "HTTP", "msg": str(e)}
            raise ApiError(e.code, payload) from None


def winner(board):
    for a, b, c in LINES:
        if board[a] and board[a] == board[b] == board[c]:
            return board[a], (a, b, c)
    return None


def choose(board):
    """O's move: win, else block, else centre, corners, sides."""
    for mark in ("O", "X"):
        for line in LINES:
            marks = [board[i] for i in line]
            if marks.count(mark) == 2 and marks.count("") == 1:
                return line[marks.index("")]
    for i in (4, 0, 2, 6, 8, 1, 3, 5, 7):
        if not board[i]:
            return i
    return None


def cell(i, mark, win=False):
    c = {"x": i % 3, "y": i // 3, "content": mark, "clickable_by": [],
         "fg": "#1e88e5" if mark == "X" else "#e53935"}
    if win:
        c["bg"] = "#fff59d"
    return c


class Game:
    KIND = "pytictactoe"

    def __init__(self, player):
        self.player = player
        self.board = [""] * 9
        self.turn = 1
        self.over = False

    def to_state(self):
        """The game as the server keeps it (`bot_state`)."""
        return {"kind": self.KIND, "state": {"player": self.player, "board": self.board,
                                             "turn": self.turn, "over": self.over}}

    @classmethod
    def from_state(cls, stored):
        """The game from a stored `bot_state`, or None if it is not one."""
        if not isinstance(stored, dict) or stored.get("kind") != cls.KIND:
            return None
        s = stored["state"]
        game = cls(s["player"])
        game.board, game.turn, game.over = list(s["board"]), s["turn"], s["over"]
        return game

    def turn_field(self, bot_id):
        if self.over:
            return {"turn_number": self.turn, "order": [self.player, bot_id], "enforce": True}
        return {"current_player": self.player, "turn_number": self.turn,
                "order": [self.player, bot_id], "enforce": True}


class Bot:
    def __init__(self, api):
        self.api = api
        self.me = api.call("GET", "/users/me")["user_id"]
        self.games = {}

    def on_command(self, ev):
        game = Game(ev["user_id"])
        widget = {"widget_type": "grid", "extra_data": {
            "width": 3, "height": 3, "cell_size": 80, "on_cell_click": True, "cells": [],
            "players": {"list": [{"id": game.player, "name": "you"}]},
            "turn": game.turn_field(self.me),
            "prediction": {"enabled": True, "cell_click": {"action": "set_content", "value": "X", "style": "pending"}},
        }}
        r = self.api.call("POST", "/messages", {"topic": ev["topic"], "content": "Tic-tac-toe: you are X",
                                                "widget": widget, "bot_state": game.to_state()})
        self.games[r["id"]] = game

    def game(self, message_id):
        """The game of a message: in memory, or as the server kept it."""
        game = self.games.get(message_id)
        if game is None:
            try:
                stored = self.api.call("GET", f"/messages/{message_id}/bot_state")["bot_state"]
            except ApiError as e:
                if e.code in ("FORBIDDEN", "NOT_FOUND"):
                    return None
                raise
            game = Game.from_state(stored)
            if game is not None:
                self.games[message_id] = game
        return game

    def on_click(self, message_id, user_id, x, y):
        game = self.game(message_id)
        if game is None or game.over or user_id != game.player:
            return
        i = y * 3 + x
        if game.board[i]:
            return
        game.board[i] = "X"
        cells = [cell(i, "X")]
        end = winner(game.board)
        if not end and "" in game.board:
            j = choose(game.board)
            game.board[j] = "O"
            cells.append(cell(j, "O"))
            end = winner(game.board)
        game.turn += 1
        update = {"set_cells": cells}
        if end or "" not in game.board:
            game.over = True
            if end:
                update["set_cells"] = [cell(k, end[0], k in end[1]) for k in range(9) if game.board[k]]
                update["emphasize"] = [{"target": f"{k % 3},{k // 3}", "effect": "glow"} for k in end[1]]
        update["set_turn"] = game.turn_field(self.me)
        try:
            # The widget change and the game's new state, stored together.
            self.api.call("PATCH", f"/messages/{message_id}/widget",
                          {"update": update, "bot_state": game.to_state()})
        except (ApiError, OSError):
            # Our copy may be ahead of the server's: load it again next time.
            self.games.pop(message_id, None)
            raise
        if game.over:
            self.games.pop(message_id, None)

    def handle(self, ev):
        if ev.get("type") == "command" and ev.get("command") == COMMAND:
            self.on_command(ev)
        elif ev.get("type") == "interaction":
            it = ev.get("interaction") or {}
            if it.get("type") == "cell_click":
                self.on_click(ev["message_id"], ev["user_id"], it["x"], it["y"])

    def register(self):
        """A new queue for our own events, retried while the server is away."""
        while True:
            try:
                return self.api.call("POST", "/register", {"topics": [], "message_ids": []})["queue_id"]
            except (ApiError, OSError) as e:
                print(f"register: {e}", file=sys.stderr)
                time.sleep(1)

    def run(self):
        # The queue exists before the command is claimed: no command is missed.
        queue = self.register()
        self.api.call("POST", "/bots/commands", {"commands": [COMMAND]})
        print("ready", flush=True)
        while True:
            last = 0
            while True:
                try:
                    r = self.api.call("GET", "/events", query={"queue_id": queue, "last_event_id": last})
                except ApiError as e:
                    if e.code == "BAD_EVENT_QUEUE_ID":
                        break  # the server restarted: register again
                    print(f"events: {e}", file=sys.stderr)
                    time.sleep(1)
                    continue
                except OSError as e:  # the server is away
                    print(f"events: {e}", file=sys.stderr)
                    time.sleep(0.5)
                    continue
                for ev in r["events"]:
                    last = ev["id"]
                    try:
                        self.handle(ev)
                    except (ApiError, OSError) as e:
                        print(f"handler: {e}", file=sys.stderr)
            queue = self.register()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", default="http://127.0.0.1:8080")
    p.add_argument("--name", default="py-tictactoe-bot")
    p.add_argument("--api-key", default="")
    a = p.parse_args()
    api = Api(a.server, a.api_key)
    if not a.api_key:
        api.key = api.call("POST", "/dev/login", {"name": a.name, "bot": True})["api_key"]
    Bot(api).run()


if __name__ == "__main__":
    main()

// The smallest chat app that embeds Tulip widgets in connected mode: sign in
// (dev login), connect, show the topic's widget messages, add new ones live.
import init, { connect } from "./tulip-widgets.js";

const params = new URLSearchParams(location.search);
const name = params.get("name") || "embed-user";
const topic = params.get("topic") || "games";
const state = document.querySelector("[data-testid=embed-state]");
const list = document.getElementById("messages");
const handles = new Map();

await init();
const login = await fetch("/api/v1/dev/login", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ name }),
}).then((r) => r.json());
const api = (path) =>
  fetch(path, { headers: { Authorization: `Bearer ${login.api_key}` } }).then((r) => r.json());

const conn = connect({ api_key: login.api_key, transport: params.get("transport") || "auto" });

function show(message, live) {
  if (!message.widget || message.topic !== topic || handles.has(message.id)) return;
  const el = document.createElement("article");
  el.dataset.messageId = String(message.id);
  el.dataset.testid = "embed-message";
  list.append(el);
  handles.set(message.id, conn.activate(el, {
    message_id: message.id, widget: message.widget, version: message.version,
    user_id: login.user_id, live,
  }));
}

async function loadHistory() {
  const h = await api(`/api/v1/messages?topic=${encodeURIComponent(topic)}&num_before=20`);
  for (const m of h.messages || []) show(m, false);
}

conn.on((event) => {
  if (event.type === "connection_state") {
    state.textContent = `${event.state} (${event.transport})`;
    state.dataset.state = event.state;
  } else if (event.type === "resync") {
    loadHistory();
  } else if (event.type === "message") {
    show(event.message, true);
  }
});

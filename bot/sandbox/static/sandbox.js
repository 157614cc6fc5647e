/* The sandbox's page: the chats of the personas side by side, the clock, the transcript.
 *
 * Plain JS, no build step and nothing from the network. The server is the only source of truth: the page
 * long-polls /api/state, and when its version moves re-fetches the chats (re-rendering only those whose JSON
 * changed) and the transcript's new entries. Bot messages' `html` is inserted as HTML: the server made it safe.
 */
(function () {
  "use strict";

  const KIND_LABELS = {
    curator: "Куратор", pupil: "Ученик", parent: "Родитель", mentor: "Наставник", teacher: "Молодой педагог",
  };
  const MESSENGER_LABELS = { telegram: "Telegram", max: "MAX" };
  const POLL_WAIT = 25;

  const state = {
    ready: false,
    version: -1,
    now: null,
    personas: [],
    chats: new Map(),        // key -> {root, list, raw (last JSON text), messages: Map(id -> {el, raw})}
    transcriptSeq: 0,
    pendingOpen: null,       // {payload, messenger}: a deep link waiting for a new persona
    refreshing: null,
    refreshAgain: false,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---- the server ----------------------------------------------------------------------------------------

  class ApiError extends Error {}

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (exc) {
      throw new ApiError("Нет связи с песочницей");
    }
    let data = null;
    const text = await response.text();
    try { data = text ? JSON.parse(text) : null; } catch (exc) { data = null; }
    if (!response.ok) {
      const message = (data && (data.error || data.message)) || `Ошибка ${response.status}`;
      throw new ApiError(message);
    }
    return data;
  }

  let errorTimer = null;
  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => { box.hidden = true; }, 8000);
  }

  async function act(promise) {
    try {
      return await promise;
    } catch (exc) {
      showError(exc.message || String(exc));
      return null;
    }
  }

  // ---- state: long-polling -------------------------------------------------------------------------------

  async function poll() {
    for (;;) {
      let data;
      try {
        const after = state.ready ? state.version : -1;
        data = await api("GET", `/api/state?after=${after}&wait=${state.ready ? POLL_WAIT : 1}`);
      } catch (exc) {
        await pause(1000);
        continue;
      }
      if (!data || !data.ready) {
        setReady(false);
        await pause(400);
        continue;
      }
      const changed = !state.ready || data.version !== state.version;
      setReady(true);
      applyState(data);
      if (changed) refresh();
    }
  }

  function pause(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  function setReady(ready) {
    state.ready = ready;
    $("loading").hidden = ready;
    document.body.classList.toggle("not-ready", !ready);
  }

  function applyState(data) {
    state.version = data.version;
    state.now = data.now;
    $("clock").textContent = data.now_label || data.now || "—";
    $("clock").title = data.now || "";
    $("moving").hidden = !data.moving;
    document.body.classList.toggle("moving", Boolean(data.moving));
    for (const button of document.querySelectorAll(".clock-btn")) button.disabled = Boolean(data.moving);
    const demo = $("demo-state");
    demo.hidden = !data.demo;
    demo.textContent = data.demo === "loading"
      ? `демо загружается…${data.demo_progress ? " " + data.demo_progress : ""}`
      : data.demo ? `демо: ${demoLabel(data.demo)}` : "";
    if (data.demo_error && data.demo_error !== state.demoError) showError(data.demo_error);
    state.demoError = data.demo_error || null;
    $("moving").textContent = data.moving_to ? `часы идут к ${data.moving_to.slice(0, 10).split("-").reverse().join(".")}…` : "часы идут…";
    limitMessengers(data.messengers);
    for (const button of document.querySelectorAll(".demo-btn")) button.disabled = Boolean(data.demo);
    if (!$("goto-date").value && data.now) $("goto-date").value = data.now.slice(0, 10);
    state.personas = data.personas || [];
    renderPersonas();
    syncChats();
  }

  /** Only the messengers this sandbox runs can be chosen for a new persona. */
  function limitMessengers(messengers) {
    if (!messengers || !messengers.length) return;
    for (const option of $("persona-form").elements.messenger.options) {
      option.disabled = !messengers.includes(option.value);
      option.hidden = option.disabled;
    }
  }

  function demoLabel(stage) {
    return { matching: "до подбора пар", monitoring: "к мониторингу" }[stage] || stage;
  }

  /** Re-fetch the chats and the transcript; calls that come while one runs are folded into one more run. */
  function refresh() {
    if (state.refreshing) {
      state.refreshAgain = true;
      return state.refreshing;
    }
    state.refreshing = (async () => {
      do {
        state.refreshAgain = false;
        await Promise.all([...state.chats.keys()].map(loadChat).concat([loadTranscript()]));
      } while (state.refreshAgain);
      state.refreshing = null;
    })();
    return state.refreshing;
  }

  // ---- personas ------------------------------------------------------------------------------------------

  function renderPersonas() {
    const list = $("persona-list");
    list.replaceChildren(...state.personas.map((p) => el("a", {
      class: `persona-chip ${p.messenger}`, href: `#chat-${p.key}`, "data-testid": `persona-${p.key}`,
      onclick: (event) => {
        event.preventDefault();
        const chat = state.chats.get(p.key);
        if (chat) chat.root.scrollIntoView({ behavior: "smooth", inline: "center", block: "nearest" });
      },
    }, p.name, el("span", { class: "muted", text: ` · ${p.kind_label || KIND_LABELS[p.kind] || p.kind}` }))));
  }

  function openPersonaDialog(messenger) {
    const dialog = $("persona-dialog");
    const form = $("persona-form");
    form.reset();
    const select = form.elements.messenger;
    if (messenger) select.value = messenger;
    select.disabled = Boolean(messenger);
    $("persona-title").textContent = messenger ? "Новый персонаж — откроет ссылку" : "Новый персонаж";
    dialog.showModal();
    form.elements.name.focus();
  }

  async function createPersona(event) {
    event.preventDefault();
    const form = $("persona-form");
    const body = {
      name: form.elements.name.value.trim(),
      kind: form.elements.kind.value,
      messenger: form.elements.messenger.value,
    };
    if (!body.name) { form.elements.name.focus(); return; }
    $("persona-dialog").close();
    const pending = state.pendingOpen;
    state.pendingOpen = null;
    const persona = await act(api("POST", "/api/personas", body));
    if (!persona) return;
    if (!state.personas.some((p) => p.key === persona.key)) state.personas.push(persona);
    syncChats();
    renderPersonas();
    if (pending) await openLink(persona.key, pending.payload);
  }

  // ---- chats ---------------------------------------------------------------------------------------------

  function syncChats() {
    const container = $("chats");
    const keys = new Set(state.personas.map((p) => p.key));
    for (const [key, chat] of state.chats) {
      if (!keys.has(key)) { chat.root.remove(); state.chats.delete(key); }
    }
    for (const persona of state.personas) {
      let chat = state.chats.get(persona.key);
      if (!chat) {
        chat = buildChat(persona);
        state.chats.set(persona.key, chat);
        container.append(chat.root);
        loadChat(persona.key);
      }
      chat.persona = persona;
      chat.name.textContent = persona.name;
      chat.kind.textContent = persona.kind_label || KIND_LABELS[persona.kind] || persona.kind;
    }
  }

  function buildChat(persona) {
    const name = el("div", { class: "chat-name", "data-testid": "chat-name" });
    const kind = el("div", { class: "chat-kind", "data-testid": "chat-kind" });
    const badge = el("span", {
      class: `badge ${persona.messenger}`, "data-testid": "messenger", text: MESSENGER_LABELS[persona.messenger] || persona.messenger,
    });
    const avatar = el("div", { class: "avatar", text: (persona.name || "?").slice(0, 1).toUpperCase() });
    const list = el("div", { class: "messages", "data-testid": "messages" });
    const toast = el("div", { class: "toast", "data-testid": "toast", role: "status", hidden: true });
    const replyKeyboard = el("div", { class: "reply-keyboard", "data-testid": "reply-keyboard", hidden: true });
    const input = el("input", {
      type: "text", class: "input", placeholder: "Сообщение", "data-testid": "input", autocomplete: "off",
      "aria-label": "Сообщение",
    });
    const fileInput = el("input", { type: "file", hidden: true, "data-testid": "file-input" });
    const root = el("article", {
      class: `chat ${persona.messenger}`, id: `chat-${persona.key}`, "data-testid": `chat-${persona.key}`,
      "data-key": persona.key,
    },
    el("header", { class: "chat-header" }, avatar, el("div", { class: "who" }, name, kind), badge),
    el("div", { class: "screen" }, list, toast),
    replyKeyboard,
    el("form", { class: "composer", onsubmit: (event) => { event.preventDefault(); sendText(persona.key); } },
      el("button", {
        type: "button", class: "icon", title: "Файл", "aria-label": "Файл", "data-testid": "attach",
        onclick: () => fileInput.click(),
      }, "📎"),
      fileInput,
      input,
      el("button", {
        type: "button", class: "icon", title: "Стикер", "aria-label": "Стикер", "data-testid": "sticker",
        onclick: () => sendSticker(persona.key),
      }, "🙂"),
      el("button", { type: "submit", class: "send", "data-testid": "send" }, "Отправить")));
    fileInput.addEventListener("change", () => {
      if (fileInput.files.length) sendFile(persona.key, fileInput.files[0]);
      fileInput.value = "";
    });
    list.addEventListener("click", (event) => onLinkClick(event, persona.key));
    return {
      persona, root, list, toast, replyKeyboard, input, name, kind,
      raw: null, messages: new Map(), toastTimer: null,
    };
  }

  async function loadChat(key) {
    const chat = state.chats.get(key);
    if (!chat) return;
    let response;
    try {
      response = await fetch(`/api/chat/${encodeURIComponent(key)}`);
    } catch (exc) {
      return;
    }
    if (!response.ok) return;
    const raw = await response.text();
    if (raw === chat.raw) return;
    chat.raw = raw;
    renderChat(chat, JSON.parse(raw));
  }

  function renderChat(chat, data) {
    const list = chat.list;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const seen = new Set();
    let previous = null;
    for (const message of data.messages || []) {
      if (message.deleted) continue;
      const id = String(message.id);
      seen.add(id);
      const raw = JSON.stringify(message);
      let entry = chat.messages.get(id);
      if (!entry) {
        entry = { el: renderMessage(chat, message), raw };
        chat.messages.set(id, entry);
      } else if (entry.raw !== raw) {
        const fresh = renderMessage(chat, message);
        entry.el.replaceWith(fresh);
        entry.el = fresh;
        entry.raw = raw;
      }
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== entry.el) list.insertBefore(entry.el, expected);
      previous = entry.el;
    }
    for (const [id, entry] of chat.messages) {
      if (!seen.has(id)) { entry.el.remove(); chat.messages.delete(id); }
    }
    renderReplyKeyboard(chat, data.reply_keyboard);
    if (atBottom || !chat.scrolledOnce) {
      list.scrollTop = list.scrollHeight;
      chat.scrolledOnce = true;
    }
  }

  function renderMessage(chat, message) {
    const side = message.from === "user" ? "out" : "in";
    const wrap = el("div", {
      class: `message-wrap ${side}`, "data-testid": "message", "data-id": String(message.id), "data-from": message.from,
    });
    const bubble = el("div", { class: `bubble ${side}${message.sticker ? " sticker-only" : ""}`, "data-testid": "bubble" });
    wrap.append(bubble);
    if (message.photo) {
      bubble.append(el("img", { class: "photo", src: message.photo.url, alt: "Фото", "data-testid": "photo", loading: "lazy" }));
    }
    if (message.sticker) {
      bubble.append(el("div", { class: "sticker", "data-testid": "sticker-message", text: message.sticker }));
    }
    if (message.document) {
      const doc = message.document;
      bubble.append(el("a", {
        class: "document", href: doc.url, download: doc.name || true, "data-testid": "document",
      }, el("span", { class: "doc-icon", text: "📄" }),
      el("span", { class: "doc-meta" },
        el("span", { class: "doc-name", text: doc.name || "файл" }),
        el("span", { class: "doc-size muted", text: humanSize(doc.size) }))));
    }
    if (message.html) {
      const text = el("div", { class: "text", "data-testid": "message-text" });
      text.innerHTML = message.html;
      linkifyStartLinks(text);
      for (const link of text.querySelectorAll("a:not(.start-link)")) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      bubble.append(text);
    }
    bubble.append(el("div", { class: "meta" },
      message.edited ? el("span", { class: "edited", text: "изменено " }) : null,
      message.time || ""));
    const rows = message.buttons || [];
    if (rows.length) {
      const keyboard = el("div", { class: "inline-keyboard", "data-testid": "keyboard" });
      for (const row of rows) {
        const line = el("div", { class: "kb-row" });
        for (const button of row) line.append(inlineButton(chat, message, button));
        keyboard.append(line);
      }
      wrap.append(keyboard);
    }
    return wrap;
  }

  const START_URL = /https:\/\/(t\.me|max\.ru)\/\w+\?start=([A-Za-z0-9_-]+)/g;

  /** A bot's deep link written as plain text (not yet an `a.start-link` of the server's) becomes one. */
  function linkifyStartLinks(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("a") && START_URL.test(node.data)) found.push(node);
      START_URL.lastIndex = 0;
    }
    for (const node of found) {
      const pieces = [];
      let last = 0;
      for (const match of node.data.matchAll(START_URL)) {
        pieces.push(node.data.slice(last, match.index));
        pieces.push(el("a", {
          class: "start-link", href: match[0], "data-start": match[2],
          "data-messenger": match[1] === "t.me" ? "telegram" : "max",
        }, match[0]));
        last = match.index + match[0].length;
      }
      pieces.push(node.data.slice(last));
      node.replaceWith(...pieces);
    }
  }

  function inlineButton(chat, message, button) {
    if (button.url) {
      return el("a", {
        class: "kb-button url", href: button.url, target: "_blank", rel: "noopener noreferrer",
        "data-testid": "button",
      }, button.text, el("span", { class: "arrow", text: " ↗" }));
    }
    return el("button", {
      type: "button", class: "kb-button", "data-testid": "button",
      onclick: (event) => press(chat, message.id, button.data, event.currentTarget),
    }, button.text);
  }

  function renderReplyKeyboard(chat, rows) {
    const box = chat.replyKeyboard;
    if (!rows || !rows.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    box.hidden = false;
    box.replaceChildren(...rows.map((row) => el("div", { class: "kb-row" }, ...row.map((text) => el("button", {
      type: "button", class: "kb-button reply", "data-testid": "reply-button",
      onclick: () => sendText(chat.persona.key, text),
    }, text)))));
  }

  function humanSize(size) {
    if (size === null || size === undefined) return "";
    if (size < 1024) return `${size} Б`;
    if (size < 1024 * 1024) return `${(size / 1024).toFixed(1).replace(".", ",")} КБ`;
    return `${(size / 1024 / 1024).toFixed(1).replace(".", ",")} МБ`;
  }

  // ---- what a persona does -------------------------------------------------------------------------------

  async function sendText(key, text) {
    const chat = state.chats.get(key);
    const fromInput = text === undefined;
    const value = fromInput ? chat.input.value : text;
    if (!value.trim()) return;
    if (fromInput) chat.input.value = "";
    const done = await act(api("POST", `/api/chat/${encodeURIComponent(key)}/text`, { text: value }));
    if (done === null && fromInput && !chat.input.value) chat.input.value = value;
    loadChat(key);
  }

  async function sendSticker(key) {
    await act(api("POST", `/api/chat/${encodeURIComponent(key)}/sticker`, {}));
    loadChat(key);
  }

  async function sendFile(key, file) {
    const form = new FormData();
    form.append("file", file, file.name);
    await act(api("POST", `/api/chat/${encodeURIComponent(key)}/file`, form));
    loadChat(key);
  }

  async function press(chat, messageId, data, button) {
    button.classList.add("pressed");
    button.disabled = true;
    try {
      const answer = await act(api("POST", `/api/chat/${encodeURIComponent(chat.persona.key)}/press`, {
        message_id: messageId, data,
      }));
      if (!answer) return;
      if (answer.alert && answer.text) showAlert(answer.text);
      else if (answer.text) showToast(chat, answer.text);
      else if (answer.timeout) showToast(chat, "Бот не ответил на нажатие");
    } finally {
      button.classList.remove("pressed");
      button.disabled = false;
      loadChat(chat.persona.key);
    }
  }

  function showToast(chat, text) {
    const toast = chat.toast;
    toast.textContent = text;
    toast.hidden = false;
    toast.classList.add("shown");
    clearTimeout(chat.toastTimer);
    chat.toastTimer = setTimeout(() => {
      toast.classList.remove("shown");
      toast.hidden = true;
    }, 4000);
  }

  function showAlert(text) {
    $("alert-text").textContent = text;
    const dialog = $("alert");
    if (!dialog.open) dialog.showModal();
  }

  // ---- deep links ----------------------------------------------------------------------------------------

  function onLinkClick(event, fromKey) {
    const link = event.target.closest("a.start-link");
    if (!link) return;
    event.preventDefault();
    const payload = link.dataset.start || "";
    const messenger = link.dataset.messenger || "telegram";
    openChooser(payload, messenger, fromKey);
  }

  function openChooser(payload, messenger, fromKey) {
    const list = $("chooser-list");
    const candidates = state.personas.filter((p) => p.messenger === messenger && p.key !== fromKey);
    $("chooser-note").textContent = `Ссылка для ${MESSENGER_LABELS[messenger] || messenger}`;
    list.replaceChildren(
      ...candidates.map((p) => el("button", {
        type: "button", class: "choice", "data-testid": `choose-${p.key}`,
        onclick: () => { $("chooser").close(); openLink(p.key, payload); },
      }, p.name, el("span", { class: "muted", text: ` · ${p.kind_label || KIND_LABELS[p.kind]}` }))),
      el("button", {
        type: "button", class: "choice new", "data-testid": "choose-new",
        onclick: () => {
          $("chooser").close();
          state.pendingOpen = { payload, messenger };
          openPersonaDialog(messenger);
        },
      }, "Новый персонаж…"));
    $("chooser").showModal();
  }

  async function openLink(key, payload) {
    await act(api("POST", `/api/chat/${encodeURIComponent(key)}/open`, { payload }));
    const chat = state.chats.get(key);
    if (chat) chat.root.scrollIntoView({ behavior: "smooth", inline: "center", block: "nearest" });
    loadChat(key);
  }

  // ---- the clock and the demo ----------------------------------------------------------------------------

  async function moveClock(body) {
    const buttons = document.querySelectorAll(".clock-btn");
    for (const button of buttons) button.disabled = true;
    document.body.classList.add("moving");
    $("moving").hidden = false;
    try {
      await act(api("POST", "/api/clock", body));
    } finally {
      for (const button of buttons) button.disabled = false;
      document.body.classList.remove("moving");
      $("moving").hidden = true;
    }
  }

  async function startDemo(stage) {
    await act(api("POST", "/api/demo", { stage }));
  }

  // ---- the transcript ------------------------------------------------------------------------------------

  async function loadTranscript() {
    let data;
    try {
      data = await api("GET", `/api/transcript?after=${state.transcriptSeq}`);
    } catch (exc) {
      return;
    }
    const entries = (data && data.entries) || [];
    if (!entries.length) return;
    const list = $("entries");
    const body = $("transcript-body");
    const follow = $("follow").checked;
    for (const entry of entries) {
      if (entry.seq <= state.transcriptSeq) continue;
      state.transcriptSeq = entry.seq;
      const failed = entry.ok === false;
      list.append(el("li", {
        class: `entry${failed ? " failed" : ""}`, "data-testid": "transcript-entry", "data-ok": String(!failed),
      },
      el("div", { class: "entry-head" },
        el("span", { class: "entry-time", text: entry.time || "" }),
        el("span", { class: `badge small ${entry.messenger}`, text: MESSENGER_LABELS[entry.messenger] || entry.messenger || "" }),
        el("code", { class: "method", text: entry.method || "" }),
        failed ? el("span", { class: "status", text: String(entry.status || "ошибка") }) : null),
      entry.summary ? el("div", { class: "summary", text: withoutMethod(entry.summary, entry.method) }) : null,
      failed && entry.error ? el("div", { class: "entry-error", text: entry.error }) : null));
    }
    while (list.children.length > 2000) list.firstChild.remove();
    if (follow) body.scrollTop = body.scrollHeight;
  }

  /** The summary says what the call did; its method is already in the entry's head. */
  function withoutMethod(summary, method) {
    for (const prefix of [`${method}: `, `${method} → `, `${method} `]) {
      if (method && summary.startsWith(prefix)) return summary.slice(prefix.length);
    }
    return summary;
  }

  function toggleTranscript() {
    const aside = $("transcript");
    const collapsed = aside.classList.toggle("collapsed");
    $("transcript-toggle").setAttribute("aria-expanded", String(!collapsed));
  }

  // ---- wiring --------------------------------------------------------------------------------------------

  function wire() {
    for (const button of document.querySelectorAll("[data-advance]")) {
      button.addEventListener("click", () => moveClock({ advance: button.dataset.advance }));
    }
    for (const button of document.querySelectorAll("[data-to]")) {
      button.addEventListener("click", () => moveClock({ to: button.dataset.to }));
    }
    $("goto").addEventListener("click", () => {
      const day = $("goto-date").value;
      if (!day) { showError("Выберите дату"); return; }
      moveClock({ to: day });
    });
    for (const button of document.querySelectorAll(".demo-btn")) {
      button.addEventListener("click", () => startDemo(button.dataset.stage));
    }
    $("add-persona").addEventListener("click", () => { state.pendingOpen = null; openPersonaDialog(null); });
    $("persona-form").addEventListener("submit", createPersona);
    $("persona-cancel").addEventListener("click", () => { state.pendingOpen = null; $("persona-dialog").close(); });
    $("chooser-cancel").addEventListener("click", () => $("chooser").close());
    $("alert-ok").addEventListener("click", () => $("alert").close());
    $("transcript-toggle").addEventListener("click", toggleTranscript);
    $("error").addEventListener("click", () => { $("error").hidden = true; });
  }

  wire();
  setReady(false);
  poll();
})();

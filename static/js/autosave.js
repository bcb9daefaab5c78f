// Automatic saving of reflections; the promises it keeps are in the README
// ("Reflections: how nothing is lost").

const DEBOUNCE_MS = 1000;
const MAX_WAIT_MS = 4000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 8000;
const PREFIX = "sbp:draft:";
const SIGNED_OUT = "sbp:signed-out:"; // + user id: tells this learner's other tabs
let signingOut = false; // once confirmed, nothing may write a draft back

// Translations of this file's English texts, from {% autosave_messages %} (none in English).
const MESSAGES = JSON.parse(document.getElementById("autosave-messages")?.textContent || "{}");

function t(english, values = {}) {
  const text = MESSAGES[english] || english;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

// Storage may be missing or refused: then nothing is kept in it.
function safely(action, fallback) {
  try {
    return action();
  } catch {
    return fallback;
  }
}

const drafts = {
  read: (key) => safely(() => JSON.parse(localStorage.getItem(PREFIX + key)), null),
  write: (key, draft) => localStorage.setItem(PREFIX + key, JSON.stringify(draft)), // throws when full
  clear: (key) => safely(() => localStorage.removeItem(PREFIX + key)),
  keysOf: (userId) =>
    safely(() => Object.keys(localStorage).filter((name) => name.startsWith(`${PREFIX}${userId}:`)), []).map(
      (name) => name.slice(PREFIX.length),
    ),
};

// Read at each save: signing in again (in another tab) rotates it.
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function newSaveId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  if (text) node.textContent = text;
  return node;
}

class Autosave {
  constructor(form) {
    this.form = form;
    this.textarea = form.querySelector("textarea");
    this.statusEl = form.querySelector("[role=status]");
    this.conflictEl = form.querySelector("[data-conflict]");
    this.countEl = form.querySelector("[data-char-count]");
    this.revisionInput = form.querySelector("input[name=base_revision]");
    this.key = form.dataset.draftKey;
    this.learnerId = Number(form.dataset.learner);
    this.maxChars = Number(form.dataset.maxChars);
    this.revision = Number(this.revisionInput.value) || 0;
    this.confirmedText = this.textarea.value;
    this.unconfirmed = new Set(); // texts sent whose reply we never saw
    this.pending = null; // {text, saveId, base}: retried as is until confirmed
    this.inFlight = false;
    this.conflict = null;
    this.timer = null;
    this.firstChangeAt = 0;
    this.retryDelay = RETRY_MIN_MS;
    this.storageFull = false;
    this.listen();
    this.restoreDraft();
    this.showCount();
  }

  listen() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveNow();
    });
    this.textarea.addEventListener("input", () => this.changed());
    window.addEventListener("online", () => this.saveNow());
    window.addEventListener("focus", () => this.saveNow());
    window.addEventListener("pagehide", () => this.flush());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush();
      else this.saveNow();
    });
  }

  get text() {
    return this.textarea.value;
  }

  dirty() {
    return this.text !== this.confirmedText;
  }

  // The value's length counts UTF-16 code units with a line break as one: the unit the
  // textarea's maxlength and the server use (reflections/limits.py).
  tooLong() {
    return this.text.length > this.maxChars;
  }

  changed() {
    this.showCount();
    this.keepDraft();
    if (this.tooLong()) {
      this.showTooLong();
      return;
    }
    if (this.conflict) return;
    // "Saved" must not stay on screen over words typed since.
    if (this.dirty() && [undefined, "saved"].includes(this.statusEl.dataset.state)) this.setStatus("unsaved", t("Unsaved changes…"));
    this.schedule();
  }

  keepDraft() {
    if (signingOut) return;
    if (!this.dirty()) {
      drafts.clear(this.key);
      return;
    }
    try {
      drafts.write(this.key, { text: this.text, base: this.revision });
      this.storageFull = false;
    } catch {
      this.storageFull = true;
      this.setStatus("error", t("This device's storage is full: no copy is kept here. Stay on this page until it says saved."));
    }
  }

  schedule() {
    clearTimeout(this.timer);
    const now = Date.now();
    if (!this.firstChangeAt) this.firstChangeAt = now;
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstChangeAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => this.saveNow(), wait);
  }

  retryLater() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  nextSave() {
    if (!this.pending || this.pending.text !== this.text) {
      this.pending = { text: this.text, saveId: newSaveId(), base: this.revision };
    }
    return this.pending;
  }

  body(save) {
    const body = { text: save.text, base_revision: save.base, save_id: save.saveId, learner_id: this.learnerId };
    if (save.after) body.after_save_id = save.after;
    return JSON.stringify(body);
  }

  request(save, keepalive = false) {
    this.unconfirmed.add(save.text);
    return fetch(this.form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: this.body(save),
    });
  }

  async saveNow() {
    clearTimeout(this.timer);
    this.firstChangeAt = 0;
    if (this.inFlight || this.conflict) return;
    if (!this.dirty()) {
      // Back to the text the server holds (e.g. an edit undone while offline).
      drafts.clear(this.key);
      if (["saving", "offline", "signed-out", "error"].includes(this.statusEl.dataset.state)) {
        this.setStatus("saved", t("All changes saved."));
      }
      return;
    }
    if (this.tooLong()) {
      this.showTooLong();
      return;
    }
    const save = this.nextSave();
    this.inFlight = true;
    this.setStatus("saving", t("Saving…"));
    let outcome;
    try {
      const response = await this.request(save);
      outcome = await this.handle(response, save);
    } catch {
      outcome = this.offline();
    } finally {
      this.inFlight = false;
    }
    if (outcome === "retry") this.retryLater();
    else if (outcome === "saved" && this.dirty()) this.schedule();
  }

  async handle(response, save) {
    const data = await response.json().catch(() => ({}));
    if (response.ok) return this.confirmed(save, data);
    if (response.status === 409) return this.conflicted(save, data);
    if (data.error === "other_learner") {
      this.setStatus("signed-out", t("Not saved — %(reason)s", { reason: data.message }));
      return "retry";
    }
    if (response.status === 401 || response.status === 403) return this.signedOut();
    if ([400, 404, 413].includes(response.status)) {
      this.setStatus("error", t("Not saved — %(reason)s", { reason: data.message || t("the server refused this text.") }));
      return "stop";
    }
    return this.offline();
  }

  confirmed(save, data) {
    this.revision = data.revision;
    this.revisionInput.value = String(data.revision);
    this.confirmedText = save.text;
    this.pending = null;
    this.unconfirmed.clear();
    this.retryDelay = RETRY_MIN_MS;
    if (this.dirty()) {
      this.keepDraft();
      this.setStatus("saving", t("Saving…"));
    } else {
      drafts.clear(this.key);
      this.setStatus("saved", data.saved_label); // the server's words and time format, as after a reload
    }
    return "saved";
  }

  conflicted(save, data) {
    // A save of ours whose reply was lost is not a conflict: adopt it and go on.
    if (this.unconfirmed.has(data.text)) return this.confirmed({ text: data.text }, data);
    this.showConflict(data, this.text); // what is in the box now, typed after the save was sent included
    return "stop";
  }

  offline() {
    if (this.storageFull) {
      this.setStatus("offline", t("Not saved yet — offline, and this device's storage is full. Keep this page open; it will retry."));
    } else {
      this.setStatus("offline", t("Not saved yet — kept on this device. It will be sent when you are back online."));
    }
    return "retry";
  }

  signedOut() {
    this.statusEl.dataset.state = "signed-out";
    const link = element("a", { href: this.form.dataset.loginUrl, target: "_blank", rel: "noopener" }, t("Sign in to save (opens a new tab)"));
    this.statusEl.replaceChildren(`${t("Not saved — you are signed out.")} `, link, `. ${t("Your text stays here and on this device.")}`);
    return "retry";
  }

  flush() {
    // The page is going away: send what is unsaved without waiting for a reply.
    if (signingOut || this.conflict || !this.dirty() || this.tooLong()) return;
    this.keepDraft();
    // With a save still on the wire, this one names it: the server accepts it on top of that save.
    const save = this.inFlight
      ? { text: this.text, saveId: newSaveId(), base: this.revision, after: this.pending && this.pending.saveId }
      : this.nextSave();
    this.request(save, true).catch(() => {});
  }

  restoreDraft() {
    const draft = drafts.read(this.key);
    if (!draft || typeof draft.text !== "string" || draft.text === this.text) {
      drafts.clear(this.key);
      return;
    }
    if (draft.base === this.revision) {
      this.textarea.value = draft.text;
      this.setStatus("saving", t("Restored text from this device that had not reached the server. Saving…"));
      this.saveNow();
    } else {
      this.showConflict({ text: this.text, revision: this.revision }, draft.text);
    }
  }

  showTooLong() {
    const [length, limit] = [this.text.length, this.maxChars];
    const numbers = { length: length.toLocaleString(), over: (length - limit).toLocaleString(), limit: limit.toLocaleString() };
    this.setStatus("error", t("Not saved — %(length)s characters is %(over)s over the limit of %(limit)s. Shorten it to save; nothing has been cut.", numbers));
  }

  showCount() {
    if (this.countEl) this.countEl.textContent = `${this.text.length.toLocaleString()} / ${this.maxChars.toLocaleString()}`;
    this.textarea.setAttribute("aria-invalid", this.tooLong() ? "true" : "false");
  }

  setStatus(state, message) {
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = message;
  }

  showConflict(server, mine) {
    this.conflict = { server };
    this.textarea.value = mine;
    this.setStatus("conflict", t("Not saved — this reflection was changed in another tab or on another device. Choose which text to keep."));
    const panel = this.conflictEl;
    panel.replaceChildren(
      element("p", {}, t("Both texts are below; nothing is lost until you choose.")),
      this.copy(t("The saved version"), server.text),
      this.copy(t("Your text on this device"), mine),
      this.choices(),
    );
    panel.hidden = false;
  }

  copy(label, text) {
    const figure = element("figure", { class: "conflict-copy" });
    figure.append(element("figcaption", {}, label), element("pre", { class: "saved-copy" }, text));
    return figure;
  }

  choices() {
    const row = element("p", { class: "form-actions" });
    const buttons = [
      // "Mine" is the box at the moment of the click: typing goes on while the choice is open.
      [t("Keep mine"), () => this.resolve(this.text)],
      [t("Keep the saved version"), () => this.resolve(this.conflict.server.text)],
      [t("Keep both"), () => this.resolve(`${this.conflict.server.text}\n\n———\n\n${this.text}`)],
    ];
    buttons.forEach(([label, action]) => {
      const button = element("button", { type: "button", class: "button button-quiet" }, label);
      button.addEventListener("click", action);
      row.append(button);
    });
    return row;
  }

  resolve(text) {
    const { server } = this.conflict;
    this.revision = server.revision;
    this.revisionInput.value = String(server.revision);
    this.confirmedText = server.text;
    this.pending = null;
    this.conflict = null;
    this.conflictEl.hidden = true;
    this.conflictEl.replaceChildren();
    this.textarea.value = text;
    this.textarea.focus();
    this.changed();
    if (!this.dirty()) this.setStatus("saved", t("All changes saved."));
    else this.saveNow();
  }
}

function forgetLearner(userId) {
  signingOut = true;
  drafts.keysOf(userId).forEach((key) => drafts.clear(key));
}

function guardSignOut(form) {
  const userId = form.dataset.signOut;
  // Signing out in another tab: stop keeping this learner's text on the device here too.
  window.addEventListener("storage", (event) => {
    if (event.key === SIGNED_OUT + userId && event.newValue) forgetLearner(userId);
  });
  form.addEventListener("submit", (event) => {
    const keys = drafts.keysOf(userId);
    if (keys.length && !window.confirm(t("Some of your writing has not reached the server yet. Signing out removes it from this device. Sign out anyway?"))) {
      event.preventDefault();
      return;
    }
    forgetLearner(userId);
    // Setting the key is the message to other tabs; removing it leaves nothing behind.
    safely(() => {
      localStorage.setItem(SIGNED_OUT + userId, String(Date.now()));
      localStorage.removeItem(SIGNED_OUT + userId);
    });
  });
}

document.querySelectorAll("form[data-autosave]").forEach((form) => new Autosave(form));
document.querySelectorAll("form[data-sign-out]").forEach(guardSignOut);

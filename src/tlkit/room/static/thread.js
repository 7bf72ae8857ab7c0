// The reflection thread: join with the thread code, read the task and its clip, post a
// reflection with the protocol's stems, reply to colleagues, edit or withdraw one's own.
// Every address is relative to the page's own (../api/...), so the page works under a prefix
// too. Everything from the server or from another person is set with textContent, never as
// HTML. The join, the drafts and anything not yet sent are kept in localStorage, and each send
// keeps the id it was first given, so a retry after a dropped connection is stored once.
"use strict";

const KEY = "tlkit-thread";
const $ = (id) => document.getElementById(id);
let kept = load();
let task = null;            // the task as received on joining
let revision = null;        // the thread's revision as last drawn
let waiting = false;        // a redraw put off while someone types in the thread
let polling = 0;

function load() {
  try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
}
function save() {
  try { localStorage.setItem(KEY, JSON.stringify(kept)); } catch (e) { /* private mode */ }
}
function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
if (!kept.page) { kept.page = newId(); }
kept.pending = kept.pending || {};
kept.drafts = kept.drafts || {};
save();

function say(element, text, problem) {
  element.textContent = text || "";
  element.classList.toggle("problem", !!problem);
}
const DROPPED = "The connection dropped. Trying again; what you wrote is kept.";

function element(tag, properties, ...children) {
  const made = Object.assign(document.createElement(tag), properties || {});
  made.append(...children);
  return made;
}

async function call(method, path, body) {
  try {
    const response = await fetch(path, {
      method, cache: "no-store", credentials: "omit",
      headers: body ? {"Content-Type": "application/json"} : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return {status: response.status, data};
  } catch (e) {
    return {status: 0, data: {}};
  }
}
const pause = (ms) => new Promise((done) => setTimeout(done, ms));

// -- joining, picking up, leaving ---------------------------------------------------------

$("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("join-button").disabled = true;
  say($("join-message"), "Joining…");
  const reply = await call("POST", "../api/thread/join", {
    code: $("code").value, name: $("name").value, named: $("named").checked, page: kept.page});
  $("join-button").disabled = false;
  if (reply.status === 200) {
    say($("join-message"), "");
    enter(reply.data);
  } else {
    say($("join-message"), reply.data.message ||
        "The server cannot be reached. Check your connection, then press Join again.", true);
  }
});

$("leave").addEventListener("click", () => {
  polling += 1;
  delete kept.code; delete kept.person; kept.pending = {}; kept.drafts = {};
  save();
  $("thread").hidden = true; $("join").hidden = false;
  $("title").textContent = "Join the reflection thread";
  say($("join-message"), "You left the thread on this device. What you posted stays in the " +
      "thread; to come back, type the code (you will count as a new participant).");
  $("code").focus();
});

function enter(data) {
  kept.code = data.code; kept.person = data.person;
  save();
  task = data.task;
  $("banner").textContent = data.resumed ? `You are back in the thread as ${data.label}.`
    : `You joined the thread as ${data.label}.`;
  $("join").hidden = true; $("thread").hidden = false;
  $("title").textContent = "Reflection thread";
  say($("connection"), "");
  drawTask();
  draw(data);
  $("task-head").focus();
  poll(++polling);
  retryPending();
}

async function resume() {
  const given = new URLSearchParams(location.search).get("code");
  if (given) { $("code").value = given.slice(0, 12); }
  if (!kept.code || !kept.person) { return; }
  say($("connection"), "Picking up your thread…");
  for (let wait = 1000; ; wait = Math.min(wait * 2, 8000)) {
    const reply = await call("POST", "../api/thread/resume", {code: kept.code, person: kept.person});
    if (reply.status === 200) { enter(reply.data); return; }
    if (reply.status !== 0 && reply.status !== 503) {
      delete kept.code; delete kept.person; kept.pending = {}; save();
      say($("connection"), "");
      say($("join-message"), reply.data.message || "Your thread is no longer there.", true);
      return;
    }
    say($("connection"), DROPPED);
    await pause(wait);
  }
}

// -- the task and its clip ----------------------------------------------------------------

function drawTask() {
  $("task-head").textContent = task.title;
  $("prompt").textContent = task.prompt;
  const replies = task.replies_required === 1 ? "1 colleague" : `${task.replies_required} colleagues`;
  $("due").textContent = `Due ${task.due_text}. Post your reflection, then reply to ${replies}.`;
  const clip = $("clip");
  clip.replaceChildren();
  if (task.clip.kind === "video") {
    const query = new URLSearchParams({code: kept.code, person: kept.person});
    const video = element("video", {controls: true, preload: "metadata", src: `../clip?${query}`});
    video.setAttribute("aria-label", `Clip of practice for ${task.title}`);
    clip.append(element("h3", {textContent: "The clip"}), video);
  } else if (task.clip.kind === "episode") {
    const episode = task.clip.episode;
    const notes = element("ol", {}, ...episode.notes.map((note) =>
      element("li", {textContent: `${note.time} ${note.text}`})));
    clip.append(element("details", {className: "episode"},
      element("summary", {textContent: `The episode (written notes): ${episode.title}`}),
      element("p", {textContent: episode.setting}), notes));
  }
  $("purpose").textContent = `${task.protocol.name}: ${task.protocol.purpose}`;
  $("reply-guide").textContent = task.protocol.reply_guide;
  $("stems").replaceChildren(...task.protocol.stems.map((stem) => {
    const id = `stem-${stem.id}`;
    const box = element("textarea", {id, rows: 4, maxLength: task.limits.stem});
    box.dataset.stem = stem.id;
    box.setAttribute("aria-describedby", `${id}-hint`);
    box.value = kept.drafts[id] || "";
    box.addEventListener("input", () => { kept.drafts[id] = box.value; save(); });
    return element("div", {},
      element("label", {htmlFor: id, textContent: `${stem.label}: ${stem.stem} …`}),
      element("p", {id: `${id}-hint`, className: "hint", textContent: stem.hint}), box);
  }));
}

// -- the thread ---------------------------------------------------------------------------

let mine = {posted: false, reflection: null};

function draw(data) {
  const typing = document.activeElement && $("items").contains(document.activeElement);
  if (typing) { waiting = true; return; }      // drawn at the next look, once they are done
  waiting = false;
  revision = data.revision;
  mine = data.standing;
  const need = mine.replies_needed;
  $("standing").textContent = (mine.posted ? "Your reflection is posted. " : "You have not posted your reflection yet. ") +
    `You have replied to ${mine.replies} colleague${mine.replies === 1 ? "" : "s"}` +
    (need ? `; ${need} more to go.` : ". Thank you.");
  const own = data.items.find((item) => item.id === mine.reflection);
  $("reflection-head").textContent = own ? "Your reflection (edit it here)" : "Your reflection";
  $("reflection-button").textContent = own ? "Save changes to my reflection" : "Post my reflection";
  $("withdraw-reflection").hidden = !own;
  if (own && !kept.drafts.editing) {      // the posted words, ready to edit
    for (const box of $("stems").querySelectorAll("textarea")) {
      const part = own.stems.find((stem) => stem.id === box.dataset.stem);
      box.value = part ? part.text : "";
    }
    kept.drafts.editing = true; save();
  }
  $("items").replaceChildren(...data.items.map(drawItem));
  if (!data.items.length) { $("items").append(element("p", {textContent: "No reflections yet: yours can be the first."})); }
}

function header(item, tag) {
  const bits = [item.posted];
  if (item.edited) { bits.push("edited"); }
  if (item.late) { bits.push("after the due date"); }
  if (item.pinned) { bits.push("pinned by the facilitator"); }
  return [element(tag, {textContent: item.mine ? `${item.author} (you)` : item.author}),
          element("p", {className: "when", textContent: bits.join(" · ")})];
}

function notes(item) {
  const out = [];
  if (item.note) { out.push(element("p", {className: "note", textContent: item.note})); }
  if (item.reason) {
    out.push(element("p", {className: "reason",
      textContent: `Only you see this post. The facilitator's reason: ${item.reason}`}));
  }
  return out;
}

function drawItem(item) {
  const article = element("article", {className: item.pinned ? "post pinned" : "post"});
  article.append(...header(item, "h3"), ...notes(item));
  for (const stem of item.stems) {
    article.append(element("p", {className: "stem-text"},
      element("strong", {textContent: `${stem.label}: `}), document.createTextNode(stem.text)));
  }
  const list = element("ul", {className: "replies"});
  for (const reply of item.replies) {
    const li = element("li", {}, ...header(reply, "h4"), ...notes(reply),
                       element("p", {className: "stem-text", textContent: reply.text}));
    if (reply.mine && reply.state !== "withdrawn") {
      li.append(editReply(reply), element("button", {type: "button", className: "quiet",
        textContent: "Withdraw my reply", onclick: () => withdraw(reply.id, "Your reply")}));
    }
    list.append(li);
  }
  if (item.replies.length) {
    article.append(element("h4", {textContent: `Replies (${item.replies.length})`}), list);
  }
  if (!item.mine && item.state === "shown") { article.append(replyForm(item)); }
  return article;
}

let savedEdit = null;        // the reply edit just saved: its form stays open to say so

function editReply(reply) {
  // Folded away until asked for: most replies are never changed.
  const id = `edit-${reply.id}`;
  const box = element("textarea", {id, rows: 3, maxLength: task.limits.reply});
  box.value = kept.drafts[id] != null ? kept.drafts[id] : reply.text;
  box.addEventListener("input", () => { kept.drafts[id] = box.value; save(); });
  const form = element("form", {noValidate: true}, element("label", {htmlFor: id, textContent: "Your reply"}), box,
                       element("button", {type: "submit", textContent: "Save my reply"}),
                       element("p", {className: "message", role: "status"}));
  form.dataset.key = id;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(id, {action: "edit", post: reply.id, body: {text: box.value}});
  });
  return element("details", {open: kept.drafts[id] != null || savedEdit === id},
                 element("summary", {textContent: "Edit my reply"}), form);
}

function replyForm(item) {
  const id = `reply-${item.id}`;
  const form = element("form", {noValidate: true});
  const box = element("textarea", {id, rows: 3, maxLength: task.limits.reply});
  box.value = kept.drafts[id] || "";
  box.addEventListener("input", () => { kept.drafts[id] = box.value; save(); });
  const message = element("p", {className: "message", role: "status"});
  form.append(element("label", {htmlFor: id, textContent: `Reply to ${item.author}`}), box,
              element("button", {type: "submit", textContent: "Send reply"}), message);
  form.dataset.key = id;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(id, {action: "reply", parent: item.id, body: {text: box.value}});
  });
  return form;
}

$("reflection").addEventListener("submit", (event) => {
  event.preventDefault();
  const stems = {};
  for (const box of $("stems").querySelectorAll("textarea")) { stems[box.dataset.stem] = box.value; }
  submit("reflection", mine.reflection ? {action: "edit", post: mine.reflection, body: {stems}}
                                       : {action: "reflection", body: {stems}});
});

$("withdraw-reflection").addEventListener("click", () => withdraw(mine.reflection, "Your reflection"));

function withdraw(post, what) {
  if (!window.confirm(`${what} will be removed from the thread. Withdraw it?`)) { return; }
  submit(`withdraw-${post}`, {action: "withdraw", post});
}

async function poll(loop) {
  let wait = 15000;
  while (loop === polling) {
    await pause(wait);
    if (loop !== polling) { return; }
    const query = new URLSearchParams({code: kept.code, person: kept.person, since: waiting ? "" : revision});
    const reply = await call("GET", `../api/thread?${query}`);
    if (reply.status === 200) {
      say($("connection"), "");
      wait = 15000;
      if (!reply.data.same) {
        const before = revision;
        draw(reply.data);
        if (before !== revision) { $("announce").textContent = "The thread has new posts."; }
      }
    } else if (reply.status === 410) {
      say($("connection"), reply.data.message || "This thread is no longer there.");
      return;
    } else {
      say($("connection"), DROPPED);
      wait = 5000;
    }
  }
}

// -- sending ------------------------------------------------------------------------------

function messageFor(key) {
  if (key === "reflection" || key.startsWith("withdraw-")) { return $("reflection").querySelector(".message"); }
  const form = document.querySelector(`form[data-key="${CSS.escape(key)}"]`);
  return form ? form.querySelector(".message") : null;
}

function submit(key, sending) {
  // A send not confirmed yet keeps its id: pressing again can never store it twice.
  const pending = kept.pending[key] || {id: newId()};
  kept.pending[key] = Object.assign({}, sending, {id: pending.id});
  save();
  send(key).then((outcome) => { if (outcome === "later") { retryPending(); } });
}

async function send(key) {
  const pending = kept.pending[key];
  if (!pending || !kept.person) { return "done"; }
  const message = messageFor(key);
  if (message) { say(message, "Sending…"); }
  const reply = await call("POST", "../api/thread/send",
                           Object.assign({code: kept.code, person: kept.person}, pending));
  if (reply.status === 0 || reply.status >= 500) {
    if (reply.status === 0) { say($("connection"), DROPPED); }
    const again = messageFor(key);
    if (again) { say(again, "Not sent yet: the connection dropped. What you wrote is kept and sent by itself when the connection is back.", true); }
    return "later";
  }
  say($("connection"), "");
  if (kept.pending[key] && kept.pending[key].id === pending.id) { delete kept.pending[key]; }
  if (reply.status === 200) {
    if (key.startsWith("reply-") || key.startsWith("edit-")) { delete kept.drafts[key]; }
    savedEdit = key.startsWith("edit-") ? key : null;
    if (pending.action === "reflection" || pending.action === "edit") { kept.drafts.editing = false; }
    if (key === "reflection") {
      for (const id of Object.keys(kept.drafts)) { if (id.startsWith("stem-")) { delete kept.drafts[id]; } }
    }
    if (pending.action === "withdraw" && pending.post === mine.reflection) {
      for (const box of $("stems").querySelectorAll("textarea")) { box.value = ""; }
      kept.drafts.editing = false;
    }
    save();
    if (document.activeElement && $("items").contains(document.activeElement)) { document.activeElement.blur(); }
    if (reply.data.items) { draw(reply.data); }
    const shown = messageFor(key);
    if (shown) { say(shown, reply.data.message || "Sent."); }
    $("announce").textContent = reply.data.message || "Sent.";
  } else {
    save();
    const shown = messageFor(key);
    if (shown) { say(shown, reply.data.message || "This could not be sent.", true); }   // the text stays to fix
  }
  return "done";
}

let retrying = false;
async function retryPending() {
  if (retrying) { return; }
  retrying = true;
  for (let wait = 1000; Object.keys(kept.pending).length && kept.person; wait = Math.min(wait * 2, 15000)) {
    const outcomes = [];
    for (const key of Object.keys(kept.pending)) { outcomes.push(await send(key)); }
    if (!outcomes.includes("later")) { break; }
    await pause(wait);
  }
  retrying = false;
}
window.addEventListener("online", retryPending);

resume();

// The participant app: join with the code, follow the session, send what the forms collect.
// Every address is relative to the page's own, so the app works under a prefix too (a
// JupyterHub service's /services/live/). Everything shown from the server or from another
// person is set with textContent, never as HTML. The join and anything not yet sent are kept in localStorage, so a reload or a dropped
// connection loses nothing, and each send keeps the id it was first given, so a retry is
// stored once.
"use strict";

const KEY = "tlkit-room";
const $ = (id) => document.getElementById(id);
let kept = load();
let view = null;            // the session as last received
let received = 0;           // performance.now() when it came, for the countdown
let following = 0;          // bumped on join and leave, so an old follow loop stops

function load() {
  try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
}
function save() {
  try { localStorage.setItem(KEY, JSON.stringify(kept)); } catch (e) { /* private mode: the page still works */ }
}
function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
if (!kept.page) { kept.page = newId(); save(); }
if (!kept.pending) { kept.pending = {}; }

function say(element, text, problem) {
  element.textContent = text || "";
  element.classList.toggle("problem", !!problem);
}
function connection(text) { say($("connection"), text); }
const DROPPED = "The connection dropped. Trying again; what you type is kept.";

async function call(method, path, body) {
  // Resolves to {status, data}; a dropped connection resolves to status 0.
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
  const button = $("join-button");
  button.disabled = true;
  say($("join-message"), "Joining…");
  const reply = await call("POST", "api/join", {
    code: $("code").value, name: $("name").value, named: $("named").checked, page: kept.page});
  button.disabled = false;
  if (reply.status === 200) {
    say($("join-message"), "");
    enter(reply.data);
  } else {
    say($("join-message"), reply.data.message ||
        "The server cannot be reached. Check that you are on the room's network, then press Join again.", true);
  }
});

$("leave").addEventListener("click", () => {
  const code = kept.code;
  forget();
  show(false);
  say($("join-message"), code ? `You left session ${code}. What you sent stays with the ` +
      "facilitator. To join again, type the code; you will count as a new participant." : "");
  $("code").focus();
});

function forget() {
  following += 1;
  delete kept.code; delete kept.participant; kept.pending = {};
  save();
  $("code").value = "";
}

function show(inSession) {
  $("join").hidden = inSession;
  $("session").hidden = !inSession;
  $("title").textContent = inSession ? "Live session" : "Join the live session";
  connection("");
}

function enter(data) {
  kept.code = data.code; kept.participant = data.participant;
  save();
  const who = data.name ? `${data.name}, participant ${data.number}` : `participant ${data.number}`;
  $("banner").textContent = data.resumed
    ? `You are back in session ${data.code} as ${who}; what you sent earlier is still with the facilitator.`
    : `You joined session ${data.code} as ${who}.`;
  buildForms(data.forms);
  show(true);
  draw(data.session);
  $("step-head").focus();
  follow(++following);
  retryPending();
}

async function resume() {
  const given = new URLSearchParams(location.search).get("code");
  if (given) { $("code").value = given.slice(0, 12); }
  if (!kept.code || !kept.participant) { return; }
  connection("Picking up your session…");
  for (let wait = 1000; ; wait = Math.min(wait * 2, 8000)) {
    const reply = await call("POST", "api/resume", {code: kept.code, participant: kept.participant});
    if (reply.status === 200) { enter(reply.data); return; }
    if (reply.status !== 0 && reply.status !== 503) {
      forget();
      connection("");
      say($("join-message"), reply.data.message || "Your earlier session is over. Type a code to join.", true);
      return;
    }
    connection("The connection dropped. Trying again…");
    await pause(wait);
  }
}

// -- following the session ----------------------------------------------------------------

async function follow(loop) {
  let wait = 500;
  while (loop === following) {
    const since = view && view.revision != null ? view.revision : "";
    const query = new URLSearchParams({code: kept.code, participant: kept.participant, since});
    const reply = await call("GET", `api/session?${query}`);
    if (loop !== following) { return; }
    if (reply.status === 200) {
      connection("");
      wait = 500;
      draw(reply.data);
      if (reply.data.ended) { return; }
    } else if (reply.status === 410 || reply.status === 400) {
      draw({gone: true, message: reply.data.message || "This session is no longer there."});
      forget();
      return;
    } else {
      connection(DROPPED);
      await pause(wait);
      wait = Math.min(wait * 2, 5000);
    }
  }
}

function draw(next) {
  const before = view ? $("step-head").textContent : null;
  view = next;
  received = performance.now();
  if (next.gone) {
    $("protocol").textContent = "";
    $("step-head").textContent = next.message;
    $("prompts").replaceChildren();
    $("time").textContent = "";
    for (const form of document.querySelectorAll("form.send")) { form.hidden = true; }
    $("leave").textContent = "Back to the join form";
    drawQuestions([]);
    return;
  }
  $("protocol").textContent = next.protocol;
  $("step-head").textContent = next.head;
  $("prompts").replaceChildren(...next.prompts.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  if (next.ended) {
    for (const form of document.querySelectorAll("form.send")) { form.hidden = true; }
  }
  drawQuestions(next.ended ? [] : (next.questions || []));
  tick();
  if (before !== null && before !== next.head) { $("announce").textContent = `Now: ${next.head}`; }
}

function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

function tick() {
  if (!view || view.gone) { return; }
  if (view.remaining == null) { $("time").textContent = view.timing; return; }
  const left = view.remaining - (performance.now() - received) / 1000;
  $("time").textContent = left > 0 ? `${clock(left)} left in this step` : "Time is up for this step.";
}
setInterval(tick, 250);

// -- sending ------------------------------------------------------------------------------

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

function buildForms(forms) {
  limits = forms;
  for (const form of document.querySelectorAll("form.send")) { form.hidden = false; }
  $("leave").textContent = "Leave this session";
  $("useful").replaceChildren(option("", "Choose"), ...forms.useful.map((o) => option(o.value, o.label)));
  const fields = $("score-fields");
  fields.replaceChildren();
  $("scores").hidden = !forms.scores;
  if (forms.scores) {
    $("scores").dataset.episode = forms.scores.episode;
    forms.scores.look_fors.forEach((lookFor, index) => {
      const label = document.createElement("label");
      label.htmlFor = `score-${index}`;
      label.textContent = lookFor.label;
      const select = document.createElement("select");
      select.id = `score-${index}`;
      select.dataset.lookFor = lookFor.id;
      select.replaceChildren(option("", "Not scored"), ...forms.scores.levels.map((o) => option(o.value, o.label)));
      fields.append(label, select);
    });
  }
}

function bodyOf(kind) {
  if (kind === "feedback") {
    return {tone: document.querySelector("input[name=tone]:checked").value, text: $("feedback-text").value};
  }
  if (kind === "question") { return {text: $("question-text").value}; }
  if (kind === "exit") { return {useful: $("useful").value ? Number($("useful").value) : null, try: $("try").value}; }
  const scores = {};
  for (const select of $("score-fields").querySelectorAll("select")) {
    scores[select.dataset.lookFor] = select.value ? Number(select.value) : null;
  }
  return {episode: $("scores").dataset.episode, scores};
}

function clearForm(kind, form) {
  if (kind === "feedback") { $("feedback-text").value = ""; }
  if (kind === "question") { $("question-text").value = ""; }
  if (kind === "exit") { $("try").value = ""; }
  if ((kind === "ask" || kind === "answer") && form) {
    for (const box of form.querySelectorAll("input[type=text], textarea")) { box.value = ""; }
  }
}

// -- questions the facilitator asks the room ----------------------------------------------

let asked = "";            // the open questions' ids and kinds, to rebuild only on a change
let limits = {max_words: 3, scale: []};

function element(tag, properties, ...children) {
  const made = Object.assign(document.createElement(tag), properties || {});
  made.append(...children);
  return made;
}

function choice(type, name, id, value, label) {
  const input = element("input", {type, name, id, value});
  return element("div", {className: "check"}, input, element("label", {htmlFor: id, textContent: label}));
}

function questionForm(question) {
  const id = `q${question.id}`;
  const form = element("form", {id, className: "question", noValidate: true});
  form.append(element("h3", {id: `${id}-prompt`, textContent: question.prompt}));
  let read;
  if (question.kind === "poll" || question.kind === "scale") {
    const group = element("fieldset");
    group.setAttribute("aria-labelledby", `${id}-prompt`);
    const options = question.kind === "poll" ? question.options.map((label, i) => ({value: i, label}))
      : limits.scale;
    const type = question.kind === "poll" && question.multiple ? "checkbox" : "radio";
    if (type === "checkbox") { group.append(element("p", {className: "hint", textContent: "Choose as many as you like."})); }
    options.forEach((o, i) => group.append(choice(type, id, `${id}-${i}`, o.value, o.label)));
    form.append(group);
    read = () => {
      const picked = [...form.querySelectorAll("input:checked")].map((input) => Number(input.value));
      return question.kind === "poll" ? {question: question.id, choices: picked}
        : {question: question.id, value: picked.length ? picked[0] : null};
    };
  } else if (question.kind === "words") {
    form.append(element("label", {htmlFor: `${id}-words`, textContent: `Up to ${limits.max_words} words, separated by commas`}),
                element("input", {id: `${id}-words`, type: "text", maxLength: 100, autocomplete: "off"}));
    read = () => ({question: question.id, words: form.querySelector("input").value});
  } else {
    form.append(element("label", {htmlFor: `${id}-ask`, textContent: "Your question"}),
                element("textarea", {id: `${id}-ask`, rows: 3, maxLength: 500}));
    read = () => ({question: question.id, text: form.querySelector("textarea").value});
  }
  const kind = question.kind === "qna" ? "ask" : "answer";
  form.append(element("button", {type: "submit", textContent: question.kind === "qna" ? "Ask" : "Send answer"}),
              element("p", {className: "message", role: "status"}));
  if (question.kind === "qna") {
    form.append(element("h4", {textContent: "Questions so far (vote up the ones you want answered)"}),
                element("ul", {className: "items", id: `${id}-items`}));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(id, kind, read(), id);
  });
  return form;
}

function voted(item) {
  kept.votes = [...new Set([...(kept.votes || []), item])].slice(-500);
  save();
  const button = document.querySelector(`button[data-item="${CSS.escape(item)}"]`);
  if (button) { button.setAttribute("aria-pressed", "true"); }
}

function drawItems(question) {
  const list = $(`q${question.id}-items`);
  if (!list) { return; }
  list.replaceChildren(...question.items.map((item) => {
    const mine = (kept.votes || []).includes(item.id);
    const votes = `${item.votes} vote${item.votes === 1 ? "" : "s"}`;
    const text = element("span", {className: "item-text", textContent: item.text});
    const button = element("button", {type: "button", className: "vote", textContent: `Vote up (${votes})`});
    button.dataset.item = item.id;
    button.setAttribute("aria-pressed", mine ? "true" : "false");
    button.setAttribute("aria-label", `Vote up: ${item.text} (${votes})`);
    button.addEventListener("click", () => {
      if (!(kept.votes || []).includes(item.id)) {
        submit(`vote-${item.id}`, "upvote", {question: question.id, item: item.id}, `q${question.id}`);
      }
    });
    return element("li", {}, text, button);
  }));
}

function drawQuestions(questions) {
  const signature = JSON.stringify(questions.map((q) => [q.id, q.kind]));
  if (signature !== asked) {
    asked = signature;
    $("asked-list").replaceChildren(...questions.map(questionForm));
    $("asked").hidden = questions.length === 0;
    if (questions.length) { $("announce").textContent = `The facilitator asks: ${questions[questions.length - 1].prompt}`; }
  }
  questions.filter((q) => q.kind === "qna").forEach(drawItems);
}

function submit(key, kind, body, formId) {
  // A send not confirmed yet keeps its id: pressing again can never store it twice.
  const pending = kept.pending[key] || {id: newId()};
  kept.pending[key] = {id: pending.id, kind, body, form: formId};
  save();
  send(key).then((outcome) => { if (outcome === "later") { retryPending(); } });
}

for (const form of document.querySelectorAll("form.send")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form.dataset.kind, form.dataset.kind, bodyOf(form.dataset.kind), form.id);
  });
}

const QUIET = {textContent: ""};      // where a message goes when its form has gone

async function send(key) {
  const pending = kept.pending[key];
  if (!pending || !kept.participant) { return "done"; }
  const form = document.getElementById(pending.form || key);
  const message = (form && form.querySelector(".message")) || QUIET;
  const kind = pending.kind;
  if (message.classList) { say(message, "Sending…"); }
  const reply = await call("POST", "api/send", {
    code: kept.code, participant: kept.participant, id: pending.id, kind, body: pending.body});
  if (reply.status === 0 || reply.status >= 500) {
    if (reply.status === 0) { connection(DROPPED); }
    if (message.classList) {
      say(message, "Not sent yet: the connection dropped. What you typed is kept and sent by itself when the connection is back.", true);
    }
    return "later";
  }
  connection("");
  if (kept.pending[key] && kept.pending[key].id === pending.id) { delete kept.pending[key]; save(); }
  if (reply.status === 200) {
    if (!kept.pending[key]) { clearForm(kind, form); }
    if (kind === "upvote") { voted(pending.body.item); }
    if (message.classList) { say(message, reply.data.message || "Sent. Thank you."); }
  } else if (message.classList) {
    say(message, reply.data.message || "This could not be sent.", true);   // the text stays to fix
  }
  return "done";
}

let retrying = false;
async function retryPending() {
  if (retrying) { return; }
  retrying = true;
  for (let wait = 1000; Object.keys(kept.pending).length && kept.participant; wait = Math.min(wait * 2, 15000)) {
    const outcomes = [];
    for (const kind of Object.keys(kept.pending)) { outcomes.push(await send(kind)); }
    if (!outcomes.includes("later")) { break; }
    await pause(wait);
  }
  retrying = false;
}
window.addEventListener("online", retryPending);

resume();

/* The Sales Blueprint System in a learning system: speaks the SCORM 1.2 runtime.
 *
 * Finds the LMS's `API` object as SCORM 1.2 prescribes (this window's parents, then the opener's),
 * keeps the learner's writing in cmi.suspend_data (restored on the next launch), reports
 * "Mark as complete" as cmi.core.lesson_status = completed and the time spent as
 * cmi.core.session_time, then commits and finishes when the page goes away.
 *
 * Suspend data holds at most `data-limit` characters (4,096 in SCORM 1.2). The learner sees
 * the room left as they type; writing that would not fit is refused with a message, never cut. */
(function () {
  "use strict";

  var root = document.getElementById("sco");
  var LIMIT = parseInt(root.dataset.limit, 10);
  var LOW = Math.floor(LIMIT / 10);  // "nearly full" below a tenth of the room
  var boxes = Array.prototype.slice.call(document.querySelectorAll("textarea[data-store]"));
  var completeButton = document.getElementById("complete");
  var started = Date.now();
  var api = null;
  var kept = "";  // the suspend data last accepted: what the LMS holds once committed
  var pending = null;
  var finished = false;

  function message(name, values) {
    return root.dataset["msg" + name].replace(/\{(\w+)\}/g, function (match, key) {
      return String(values && key in values ? values[key] : match);
    });
  }

  function searchUp(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win.API) return win.API;
      } catch (crossOrigin) {
        return null;
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findAPI() {
    var found = searchUp(window.parent !== window ? window.parent : null);
    if (!found && window.opener) found = searchUp(window.opener);
    return found;
  }

  function serialise(answers) {
    var keys = Object.keys(answers).filter(function (key) { return answers[key] !== ""; }).sort();
    if (!keys.length) return "";
    var chosen = {};
    keys.forEach(function (key) { chosen[key] = answers[key]; });
    return JSON.stringify({ v: 1, a: chosen });
  }

  function answersInBoxes() {
    var answers = {};
    boxes.forEach(function (box) { answers[box.dataset.store] = box.value; });
    return answers;
  }

  function showRoom(room, active) {
    var text = message(room < LOW ? "Low" : "Room", { n: Math.max(room, 0) });
    boxes.forEach(function (box) {
      var line = document.getElementById(box.id.replace(/-text$/, "-room"));
      line.textContent = text;
      line.dataset.state = room < LOW ? "low" : "";
    });
    if (active && room < LOW && room >= 0) status(active, text, "low");
  }

  function status(box, text, state) {
    var line = document.getElementById(box.id.replace(/-text$/, "-status"));
    line.textContent = text;
    line.dataset.state = state || "";
  }

  function onInput(event) {
    var box = event.target;
    var data = serialise(answersInBoxes());
    var room = LIMIT - data.length;
    showRoom(room, box);
    if (room < 0) {
      box.setAttribute("aria-invalid", "true");
      status(box, message("Full", { limit: LIMIT, over: -room }), "error");
      return;
    }
    boxes.forEach(function (other) { other.removeAttribute("aria-invalid"); });
    kept = data;
    clearTimeout(pending);
    pending = setTimeout(function () { store(box); }, 800);
  }

  function store(box) {
    pending = null;
    if (!api) return;
    var ok = api.LMSSetValue("cmi.suspend_data", kept) === "true" && api.LMSCommit("") === "true";
    if (box) status(box, ok ? message("Saved") : message("LmsError", { code: api.LMSGetLastError() }), ok ? "saved" : "error");
  }

  function restore() {
    var raw = api.LMSGetValue("cmi.suspend_data") || "";
    var answers = {};
    try {
      answers = raw ? JSON.parse(raw).a || {} : {};
    } catch (notOurs) {
      answers = {};
    }
    var restored = false;
    boxes.forEach(function (box) {
      var text = answers[box.dataset.store];
      if (typeof text === "string" && text) {
        box.value = text;
        restored = true;
      }
    });
    kept = serialise(answersInBoxes());
    if (restored) notice(message("Restored"));
  }

  function notice(text) {
    var line = document.getElementById("sco-notice");
    line.textContent = text;
    line.hidden = false;
  }

  function showCompleted() {
    completeButton.disabled = true;
    document.getElementById("complete-status").textContent = message("Completed");
  }

  function complete() {
    if (!api) return;
    if (pending) store(null);
    if (api.LMSSetValue("cmi.core.lesson_status", "completed") === "true" && api.LMSCommit("") === "true") {
      showCompleted();
    } else {
      document.getElementById("complete-status").textContent = message("LmsError", { code: api.LMSGetLastError() });
    }
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  /* CMITimespan: HHHH:MM:SS.SS */
  function timespan(milliseconds) {
    var centiseconds = Math.min(Math.round(milliseconds / 10), 9999 * 360000 + 359999);
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor((centiseconds % 360000) / 6000);
    var seconds = (centiseconds % 6000) / 100;
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds.toFixed(2), 5);
  }

  function finish() {
    if (!api || finished) return;
    finished = true;
    clearTimeout(pending);
    api.LMSSetValue("cmi.suspend_data", kept);
    api.LMSSetValue("cmi.core.session_time", timespan(Date.now() - started));
    // "suspend": the learner may come back; the LMS keeps the suspend data for the next launch.
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSCommit("");
    api.LMSFinish("");
  }

  function start() {
    api = findAPI();
    boxes.forEach(function (box) { box.disabled = false; });
    if (!api || api.LMSInitialize("") !== "true") {
      api = null;
      completeButton.disabled = true;
      notice(message("NoLms"));
      return;
    }
    restore();
    showRoom(LIMIT - kept.length, null);
    var lessonStatus = api.LMSGetValue("cmi.core.lesson_status");
    if (lessonStatus === "completed" || lessonStatus === "passed") {
      showCompleted();
    } else if (lessonStatus === "not attempted" || lessonStatus === "") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      api.LMSCommit("");
    }
    boxes.forEach(function (box) { box.addEventListener("input", onInput); });
    completeButton.addEventListener("click", complete);
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }

  start();
})();
